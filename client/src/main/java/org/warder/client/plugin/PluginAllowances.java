package org.warder.client.plugin;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.warder.client.jail.props.PluginPropertyDefaults;

/**
 * What the administrator allows a plugin manifest beyond {@link ManifestPolicy}'s defaults, by name
 * on the command line: {@code --allow-device PATTERN} (a devfs path pattern, or {@code include:N}
 * for a devfs ruleset to include), {@code --allow-kmod NAME} (a kernel module name, never a path),
 * {@code --allow-property KEY} (a jail property, any value; never one only the administrator may
 * set). Never recorded: an update is granted them again on its command line.
 *
 * @param devices devfs path patterns and {@code include:N}
 * @param kmods kernel module names
 * @param properties jail property keys
 */
public record PluginAllowances(List<String> devices, List<String> kmods, List<String> properties) {
  /** Nothing beyond the defaults. */
  public static final PluginAllowances NONE = new PluginAllowances(List.of(), List.of(), List.of());

  static final String INCLUDE = "include:";
  private static final Pattern DEVICE =
      Pattern.compile("[A-Za-z0-9*?_+\\[\\]-][A-Za-z0-9*?_.+\\[\\]/-]{0,127}");
  private static final Pattern RULESET = Pattern.compile("[1-9][0-9]{0,4}");
  private static final Pattern KMOD = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");
  private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  /** Checks every value; an {@link IllegalArgumentException} names the flag and the bad value. */
  public PluginAllowances {
    devices = distinct(devices);
    kmods = distinct(kmods);
    properties = distinct(properties);
    for (String d : devices) {
      boolean ok =
          d.startsWith(INCLUDE)
              ? RULESET.matcher(d.substring(INCLUDE.length())).matches()
              : DEVICE.matcher(d).matches() && !d.contains("..");
      if (!ok) {
        throw new IllegalArgumentException(
            "--allow-device: expected a devfs path pattern relative to /dev such as"
                + " 'pass*' or 'usb/*' (no '..', no leading '/'), or include:N for devfs ruleset N, found '"
                + d
                + "'");
      }
    }
    for (String k : kmods) {
      if (!KMOD.matcher(k).matches() || k.contains("..")) {
        throw new IllegalArgumentException(
            "--allow-kmod: expected a kernel module name such as vmm (never a path:"
                + " kldload(8) would load any file), found '"
                + k
                + "'");
      }
    }
    for (String p : properties) {
      if (!KEY.matcher(p).matches()) {
        throw new IllegalArgumentException(
            "--allow-property: expected a jail property key such as securelevel,"
                + " found '"
                + p
                + "'");
      }
      PluginPropertyDefaults.neverGranted(p)
          .ifPresent(
              why -> {
                throw new IllegalArgumentException("--allow-property " + p + ": " + why);
              });
    }
  }

  /** Whether nothing beyond the defaults is allowed. */
  public boolean isEmpty() {
    return devices.isEmpty() && kmods.isEmpty() && properties.isEmpty();
  }

  private static List<String> distinct(List<String> values) {
    return List.copyOf(new LinkedHashSet<>(values));
  }
}
