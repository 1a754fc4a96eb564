package org.warder.client.cli;

import java.util.ArrayList;
import java.util.List;
import org.warder.client.jail.props.Consent;
import org.warder.client.jail.props.PropertyException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --allow-property KEY}: config values from a bundle, a pull or an iocage zip the
 * administrator accepts.
 */
final class ConsentOptions {
  @Option(
      names = Consent.FLAG,
      paramLabel = "KEY",
      description =
          "Keep KEY from the bundle's (pulled jail's, template's, iocage zip's) config although its value"
              + " acts on the host or weakens the jail (exec_prestart, exec_poststart, exec_prestop, exec_poststop,"
              + " exec_fib, devfs_ruleset, interfaces, resolver, vnet, ip4_addr, ip6_addr, dhcp, nat*, cpuset,"
              + " securelevel<2, enforce_statfs<2, children_max>0, allow_*=1, bpf, mount_procfs, mount_linprocfs,"
              + " ip4/ip6/sysv*=inherit, exec_clean=0). Repeat it for each key. Without it such values are dropped and"
              + " listed, each with the flag that keeps it.")
  List<String> allowed = new ArrayList<>();

  /** The keys named, checked. */
  Consent consent(CommandSpec spec) {
    try {
      return Consent.of(allowed);
    } catch (PropertyException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
