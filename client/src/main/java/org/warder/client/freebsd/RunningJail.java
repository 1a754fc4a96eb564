package org.warder.client.freebsd;

import java.nio.file.Path;
import java.util.List;

/** A jail the kernel reports ({@code jls}): its id, name, root, hostname and addresses. */
public record RunningJail(
    int jid,
    String name,
    Path path,
    String hostname,
    List<String> ip4,
    List<String> ip6,
    boolean dying) {
  public RunningJail {
    ip4 = List.copyOf(ip4);
    ip6 = List.copyOf(ip6);
  }
}
