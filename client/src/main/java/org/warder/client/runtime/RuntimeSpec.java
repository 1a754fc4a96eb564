package org.warder.client.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a runtime needs to start a jail: its name and root, hostname, whether it shares the host's
 * network (ip4=inherit) or has none of its own beyond loopback, extra mounts (base jails), the
 * start and stop commands, and the jail(8) parameters (used by the FreeBSD runtime).
 *
 * @param mounts mounts inside the root, e.g. a base jail's read-only release directories
 * @param execStart the command that brings the jail up ({@code /bin/sh /etc/rc})
 * @param execStop the command that brings it down ({@code /bin/sh /etc/rc.shutdown})
 * @param jailParameters jail(8) parameters, in order
 * @param consoleLog where the jail's console output goes (jail(8) exec.consolelog)
 */
public record RuntimeSpec(
    String name,
    Path root,
    String hostname,
    boolean inheritNetwork,
    List<Mount> mounts,
    String execStart,
    String execStop,
    Map<String, String> jailParameters,
    Path consoleLog) {
  public RuntimeSpec {
    mounts = List.copyOf(mounts);
    jailParameters = Map.copyOf(jailParameters);
  }
}
