package org.warder.client.runtime;

import java.util.List;
import org.warder.client.net.Nat;
import org.warder.client.net.PortForward;

/**
 * The nftables file that makes warder's own table, {@code table ip warder}, hold exactly the NAT of
 * the running NAT jails: each jail's /30 masqueraded out of its NAT interface, and each port
 * forward translated to the jail. The file first creates the table (a no-op when it exists), then
 * deletes it and, unless no jail is left, declares it anew: {@code nft -f} applies it as one
 * transaction, and no other table is ever named. Stateless.
 */
final class NatRuleset {
  /** The table's family and name. */
  static final String TABLE = "ip warder";

  /** A NAT jail's translation: its {@link Nat} and the host interface its traffic leaves by. */
  record Entry(Nat nat, String hostInterface) {}

  private NatRuleset() {}

  /** The file's text for {@code entries}; with none it only removes the table. */
  static String of(List<Entry> entries) {
    StringBuilder out = new StringBuilder();
    out.append("table ").append(TABLE).append(" {}\n");
    out.append("delete table ").append(TABLE).append('\n');
    if (entries.isEmpty()) {
      return out.toString();
    }
    out.append("table ").append(TABLE).append(" {\n");
    out.append("  chain prerouting {\n");
    out.append("    type nat hook prerouting priority -100; policy accept;\n");
    for (Entry e : entries) {
      for (PortForward f : e.nat().forwards()) {
        out.append("    iifname \"")
            .append(e.hostInterface())
            .append("\" ")
            .append(f.protocol())
            .append(" dport ")
            .append(f.hostPort())
            .append(" dnat to ")
            .append(e.nat().jailAddress())
            .append(':')
            .append(f.jailPort())
            .append('\n');
      }
    }
    out.append("  }\n");
    out.append("  chain postrouting {\n");
    out.append("    type nat hook postrouting priority 100; policy accept;\n");
    for (Entry e : entries) {
      out.append("    ip saddr ")
          .append(network(e.nat().jailAddress()))
          .append('/')
          .append(Nat.PREFIX)
          .append(" oifname \"")
          .append(e.hostInterface())
          .append("\" masquerade\n");
    }
    out.append("  }\n");
    out.append("}\n");
    return out.toString();
  }

  /** The network address of the /30 that holds IPv4 address {@code address}. */
  static String network(String address) {
    String[] octets = address.split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException("expected an IPv4 address, found '" + address + "'");
    }
    int last = Integer.parseInt(octets[3]) & ~((1 << (32 - Nat.PREFIX)) - 1);
    return octets[0] + "." + octets[1] + "." + octets[2] + "." + last;
  }
}
