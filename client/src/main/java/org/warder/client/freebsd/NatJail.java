package org.warder.client.freebsd;

import org.warder.client.net.Nat;

/**
 * A running NAT jail as the host's firewall sees it: its NAT side and the host interface its
 * traffic leaves by (nat_interface, or the default route's).
 */
public record NatJail(String iface, Nat nat) {
  /** The jail's /30, e.g. {@code 172.16.0.0/30} for 172.16.0.2. */
  public String network() {
    String[] octets = nat.jailAddress().split("\\.");
    int last = Integer.parseInt(octets[3]) & ~((1 << (32 - Nat.PREFIX)) - 1);
    return octets[0] + "." + octets[1] + "." + octets[2] + "." + last + "/" + Nat.PREFIX;
  }
}
