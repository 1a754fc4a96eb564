package org.warder.client.freebsd;

import java.util.Optional;

/**
 * The host's default route for one address family as {@code route -n get default} (or {@code route
 * -n get -inet6 default}) prints it: its gateway and the interface it leaves by. Both are empty
 * when the host has no default route (route(8) then fails, or prints no such lines).
 */
public record DefaultRoute(Optional<String> gateway, Optional<String> iface) {
  /** What {@code output} says; lines other than gateway and interface are ignored. */
  public static DefaultRoute parse(String output) {
    Optional<String> gateway = Optional.empty();
    Optional<String> iface = Optional.empty();
    for (String line : output.split("\\R")) {
      String[] kv = line.trim().split(":\\s+", 2);
      if (kv.length == 2 && kv[0].equals("gateway")) {
        gateway = Optional.of(kv[1].trim());
      } else if (kv.length == 2 && kv[0].equals("interface")) {
        iface = Optional.of(kv[1].trim());
      }
    }
    return new DefaultRoute(gateway, iface);
  }

  /** A host without a default route. */
  public static DefaultRoute none() {
    return new DefaultRoute(Optional.empty(), Optional.empty());
  }
}
