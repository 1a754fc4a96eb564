package org.warder.client.net;

import java.util.List;
import java.util.OptionalInt;

/**
 * One vnet interface of a jail, from an {@code interfaces} entry such as {@code vnet0:bridge0}: an
 * interface pair whose host side joins {@code bridge} (or, for NAT, carries the jail's gateway
 * address) and whose jail side is moved into the jail and named {@code name}.
 *
 * @param name the jail-side name, vnet0 to vnet3
 * @param bridge the host bridge the host side joins
 * @param macs the host-side and jail-side MAC addresses
 * @param mtu the MTU, or empty for the bridge member's (vnet_default_mtu without members)
 * @param ipv4 static IPv4 addresses inside the jail, address/prefix
 * @param ipv6 static IPv6 addresses inside the jail, address/prefix
 * @param acceptRtadv whether the jail side takes IPv6 router advertisements: ip6_addr has the entry
 *     {@code NAME|accept_rtadv} (iocage's syntax; rtsold=1 then starts rtsold in the jail)
 */
public record VnetInterface(
    String name,
    String bridge,
    Mac.Pair macs,
    OptionalInt mtu,
    List<String> ipv4,
    List<String> ipv6,
    boolean acceptRtadv) {
  public VnetInterface {
    ipv4 = List.copyOf(ipv4);
    ipv6 = List.copyOf(ipv6);
  }
}
