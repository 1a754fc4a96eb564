package org.warder.client.net;

import java.util.List;
import java.util.Optional;

/**
 * A NAT jail's host side: the jail's private address and its gateway on the host (a /30 from {@code
 * nat_prefix}), the firewall that translates, the host interface traffic leaves by, and the ports
 * forwarded to the jail.
 *
 * @param backend ipfw or pf (FreeBSD); the Linux sandbox uses nftables whatever it says
 * @param hostInterface the interface NAT goes out of, or empty for the default route's
 * @param jailAddress the jail's address, e.g. 172.16.0.2
 * @param gateway the host side's address and the jail's default route, e.g. 172.16.0.1
 * @param forwards the ports forwarded from the host to the jail
 */
public record Nat(
    Backend backend,
    Optional<String> hostInterface,
    String jailAddress,
    String gateway,
    List<PortForward> forwards) {
  /** The prefix length of a NAT jail's link: a /30 holds the gateway and the jail. */
  public static final int PREFIX = 30;

  /** The firewall that does NAT on FreeBSD. */
  public enum Backend {
    IPFW,
    PF;

    /** The backend a validated {@code nat_backend} value names. */
    public static Backend of(String value) {
      return value.equals("pf") ? PF : IPFW;
    }
  }

  public Nat {
    forwards = List.copyOf(forwards);
  }
}
