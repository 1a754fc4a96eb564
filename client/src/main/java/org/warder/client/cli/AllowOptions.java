package org.warder.client.cli;

import java.util.ArrayList;
import java.util.List;
import org.warder.client.plugin.PluginAllowances;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --allow-device}, {@code --allow-kmod}, {@code --allow-property}: what a plugin manifest
 * may have beyond the defaults.
 */
final class AllowOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--allow-device",
      paramLabel = "PATTERN",
      description = {
        "Let the plugin's manifest make host devices matching this devfs pattern visible in the jail"
            + " (e.g. 'pass*', 'usb/*'), or include devfs ruleset N with include:N. Repeatable.",
        "Allowed without it: bpf* tun* cua* usb* usb/* dri* dri/* drm* drm/* zfs, and rulesets 1-5."
      })
  List<String> devices = new ArrayList<>();

  @Option(
      names = "--allow-kmod",
      paramLabel = "NAME",
      description = {
        "Let the plugin's manifest load kernel module NAME on the host (a name, never a path). Repeatable.",
        "Allowed without it: linux linux64 linux_common linprocfs linsysfs."
      })
  List<String> kmods = new ArrayList<>();

  @Option(
      names = "--allow-property",
      paramLabel = "KEY",
      description = {
        "Let the plugin's manifest set jail property KEY to any value (e.g. securelevel, enforce_statfs,"
            + " allow_mount, children_max, allow_vmm). Repeatable.",
        "Allowed without it: the network, boot, raw socket, mlock, SysV IPC (new), mount_devfs/fdescfs/procfs,"
            + " tun, bpf and jail_zfs properties real plugins use, securelevel 1-3, enforce_statfs 1-2."
      })
  List<String> properties = new ArrayList<>();

  /** The allowances given; a bad value is a usage error naming the flag. */
  PluginAllowances allowances() {
    try {
      return new PluginAllowances(devices, kmods, properties);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
