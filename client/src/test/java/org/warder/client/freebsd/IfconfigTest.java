package org.warder.client.freebsd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** ifconfig(8) and route(8) output as FreeBSD 13/14 print it. */
class IfconfigTest {
  private static final String ALL =
      """
      em0: flags=8863<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 9000
      \toptions=4e527bb<RXCSUM,TXCSUM,VLAN_MTU>
      \tether 58:9c:fc:00:00:01
      \tinet 192.0.2.5 netmask 0xffffff00 broadcast 192.0.2.255
      \tinet6 fe80::5a9c:fcff:fe00:1%em0 prefixlen 64 scopeid 0x1
      \tinet6 2001:db8::5 prefixlen 64
      lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384
      \tinet 127.0.0.1 netmask 0xff000000
      \tinet6 ::1 prefixlen 128
      bridge0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
      \tinet 10.0.0.1 netmask 0xffffff00 broadcast 10.0.0.255
      \tmember: vnet0.7 flags=143<LEARNING,DISCOVER,AUTOEDGE,AUTOPTP>
      \tmember: em0 flags=143<LEARNING,DISCOVER,AUTOEDGE,AUTOPTP>
      vnet0.7: flags=8863<UP> metric 0 mtu 1500
      \tinet 172.16.0.1 netmask 0xfffffffc broadcast 172.16.0.3
      """;

  @Test
  void testAddresses_hostOnesSkipJailSideInterfacesAndLoopback() {
    assertThat(Ifconfig.hostAddresses(ALL)).containsExactly("192.0.2.5", "2001:db8::5");
    assertThat(Ifconfig.addresses(ALL))
        .containsExactly("192.0.2.5", "10.0.0.1", "172.16.0.1", "2001:db8::5");
  }

  @Test
  void testMtuMembersAndFirstInet() {
    assertThat(Ifconfig.mtu(ALL)).hasValue(9000);
    assertThat(Ifconfig.mtu("bogus")).isEmpty();
    assertThat(Ifconfig.bridgeMembers(ALL)).containsExactly("vnet0.7", "em0");
    assertThat(Ifconfig.firstInet(ALL)).hasValue("192.0.2.5/24");
    assertThat(Ifconfig.firstInet("vnet0: flags=0<> mtu 1500\n")).isEmpty();
  }

  @Test
  void testDefaultRoute() {
    DefaultRoute r =
        DefaultRoute.parse(
            """
               route to: default
            destination: default
                   mask: default
                gateway: fe80::1%em0
                    fib: 0
              interface: em0
                  flags: <UP,GATEWAY,DONE,STATIC>
            """);
    assertThat(r.gateway()).hasValue("fe80::1%em0");
    assertThat(r.iface()).hasValue("em0");
    assertThat(DefaultRoute.parse("route: route has not been found\n"))
        .isEqualTo(new DefaultRoute(Optional.empty(), Optional.empty()));
  }
}
