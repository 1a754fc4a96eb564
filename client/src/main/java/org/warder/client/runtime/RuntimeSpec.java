package org.warder.client.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.warder.client.jail.props.JailName;
import org.warder.client.net.JailNetwork;

/**
 * What a runtime needs to start a jail: its name, root and directory (jail.conf, console.log),
 * hostname, whether it shares the host's network (ip4=inherit) or has none of its own beyond
 * loopback, extra mounts (base jails), the start and stop commands, and the jail(8) parameters
 * (used by the FreeBSD runtime; the Linux sandbox reads allow.raw_sockets from them).
 *
 * @param jailDir the jail's directory: jail.conf and console.log live there
 * @param mounts mounts inside the root, e.g. a base jail's read-only release directories
 * @param execStart the command that brings the jail up ({@code /bin/sh /etc/rc})
 * @param execStop the command that brings it down ({@code /bin/sh /etc/rc.shutdown})
 * @param jailParameters jail(8) parameters, in order
 * @param devfsRules the devfs(8) argv lists that rebuild the jail's own devfs ruleset before it
 *     starts (FreeBSD); empty when it uses a shared ruleset
 * @param network the jail's vnet interfaces, addresses, routes, DHCP and NAT, configured at start
 *     and removed at stop
 * @param cpuset the CPUs the jail may run on, a cpuset(1) list such as {@code 0-3,6}, or {@code
 *     off}
 */
public record RuntimeSpec(
    JailName name,
    Path root,
    Path jailDir,
    String hostname,
    boolean inheritNetwork,
    List<Mount> mounts,
    String execStart,
    String execStop,
    Map<String, String> jailParameters,
    List<List<String>> devfsRules,
    JailNetwork network,
    String cpuset) {
  public RuntimeSpec {
    mounts = List.copyOf(mounts);
    devfsRules = devfsRules.stream().map(List::copyOf).toList();
    jailParameters =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(jailParameters));
  }

  /**
   * This spec with the jail on devfs ruleset {@code ruleset}, rebuilt before start by {@code rules}
   * (none for a shared ruleset).
   */
  public RuntimeSpec withDevfs(String ruleset, List<List<String>> rules) {
    Map<String, String> parameters = new java.util.LinkedHashMap<>(jailParameters);
    parameters.replace("devfs_ruleset", ruleset);
    return new RuntimeSpec(
        name,
        root,
        jailDir,
        hostname,
        inheritNetwork,
        mounts,
        execStart,
        execStop,
        parameters,
        rules,
        network,
        cpuset);
  }

  /** Where the jail's console output goes. */
  public Path consoleLog() {
    return jailDir.resolve("console.log");
  }

  /** The jail.conf written for jail(8). */
  public Path jailConf() {
    return jailDir.resolve("jail.conf");
  }
}
