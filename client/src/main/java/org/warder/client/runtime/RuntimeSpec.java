package org.warder.client.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.warder.client.jail.props.JailName;

/**
 * What a runtime needs to start a jail: its name, root and directory (jail.conf, console.log),
 * hostname, whether it shares the host's network (ip4=inherit) or has none of its own beyond
 * loopback, extra mounts (base jails), the start and stop commands, and the jail(8) parameters
 * (used by the FreeBSD runtime).
 *
 * @param jailDir the jail's directory: jail.conf and console.log live there
 * @param mounts mounts inside the root, e.g. a base jail's read-only release directories
 * @param execStart the command that brings the jail up ({@code /bin/sh /etc/rc})
 * @param execStop the command that brings it down ({@code /bin/sh /etc/rc.shutdown})
 * @param jailParameters jail(8) parameters, in order
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
    Map<String, String> jailParameters) {
  public RuntimeSpec {
    mounts = List.copyOf(mounts);
    jailParameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(jailParameters));
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
