package org.warder.client.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;

/** The network values resolved from properties: MACs, interfaces, routers, NAT, forwards. */
class JailNetworkTest {
  final JailName web = name("web");

  private static JailName name(String n) {
    try {
      return JailName.of(n);
    } catch (org.warder.client.jail.props.PropertyException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void mac_pair_isIocagesMd5OfJailAndInterface() {
    // python3: hashlib.md5(b"web" + b"vnet0").hexdigest()[:6] after iocage's prefix 02ff60
    Mac.Pair pair = Mac.pair("web", "vnet0", "02ff60");
    assertThat(pair.host().hex()).isEqualTo("02ff604e07f1");
    assertThat(pair.jail().hex()).isEqualTo("02ff604e07f2");
    assertThat(pair.stored()).isEqualTo("02ff604e07f1 02ff604e07f2");
    assertThat(pair.host().colons()).isEqualTo("02:ff:60:4e:07:f1");
    assertThat(Mac.pair("x", "vnet1", "02ff60").host().hex()).isEqualTo("02ff603b7007");
    assertThat(Mac.parsePair("02ff604e07f1,02ff604e07f2")).isEqualTo(pair);
    assertThatThrownBy(() -> new Mac("02FF604E07F1")).hasMessageContaining("12 lower-case hex");
  }

  @Test
  void portForward_parsesIocageSyntax() {
    assertThat(PortForward.parse("tcp(80:8282),udp(53),8080"))
        .containsExactly(
            new PortForward("tcp", 80, 8282),
            new PortForward("udp", 53, 53),
            new PortForward("tcp", 8080, 8080));
    assertThat(PortForward.parse("none")).isEmpty();
    assertThat(new PortForward("tcp", 80, 8282)).hasToString("tcp(80:8282)");
    assertThatThrownBy(() -> new PortForward("sctp", 1, 1)).hasMessageContaining("tcp or udp");
  }

  @Test
  void noVnet_meansNoInterfaces() throws Exception {
    JailNetwork net = JailNetwork.of(web, JailProperties.parse(List.of("ip4_addr=em0|192.0.2.5")));
    assertThat(net.vnet()).isFalse();
    assertThat(net).isEqualTo(JailNetwork.none(web));
  }

  @Test
  void vnet_interfacesAddressesAndRouters() throws Exception {
    JailProperties props =
        JailProperties.parse(
            List.of(
                "vnet=1",
                "interfaces=vnet0:bridge0,vnet1:bridge7",
                "ip4_addr=192.0.2.10/24,vnet1|198.51.100.3/24",
                "ip6_addr=vnet0|2001:db8::10/64",
                "defaultrouter=192.0.2.1",
                "vnet1_mac=02aabbccdd00 02aabbccdd01",
                "vnet1_mtu=9000"));
    JailNetwork net = JailNetwork.of(web, props);
    assertThat(net.vnet()).isTrue();
    assertThat(net.interfaces()).hasSize(2);
    VnetInterface v0 = net.interfaces().get(0);
    assertThat(v0.name()).isEqualTo("vnet0");
    assertThat(v0.bridge()).isEqualTo("bridge0");
    assertThat(v0.macs()).isEqualTo(Mac.pair("web", "vnet0", "02ff60"));
    assertThat(v0.mtu()).isEmpty();
    assertThat(v0.ipv4()).containsExactly("192.0.2.10/24"); // no interface: vnet0, as iocage
    assertThat(v0.ipv6()).containsExactly("2001:db8::10/64");
    VnetInterface v1 = net.interfaces().get(1);
    assertThat(v1.bridge()).isEqualTo("bridge7");
    assertThat(v1.macs().stored()).isEqualTo("02aabbccdd00 02aabbccdd01");
    assertThat(v1.mtu()).hasValue(9000);
    assertThat(v1.ipv4()).containsExactly("198.51.100.3/24");
    assertThat(net.router4()).isEqualTo(Router.of("192.0.2.1"));
    assertThat(net.router6().kind()).isEqualTo(Router.Kind.AUTO);
    assertThat(net.defaultInterface()).isEqualTo("auto");
    assertThat(net.defaultMtu()).isEqualTo(1500);
    assertThat(net.nat()).isEmpty();
  }

  @Test
  void dhcp_dropsStaticIpv4AndTheRouter() throws Exception {
    JailNetwork net =
        JailNetwork.of(web, JailProperties.parse(List.of("vnet=1", "bpf=1", "dhcp=1")));
    assertThat(net.dhcp()).isTrue();
    assertThat(net.router4().kind()).isEqualTo(Router.Kind.NONE);
    assertThat(net.interfaces().get(0).ipv4()).isEmpty();
  }

  @Test
  void nat_needsItsAddressesAllocatedFirst() throws Exception {
    JailProperties props =
        JailProperties.parse(List.of("vnet=1", "nat=1", "nat_forwards=tcp(80:8282)"));
    assertThatThrownBy(() -> JailNetwork.of(web, props)).hasMessageContaining("not allocated");

    JailProperties allocated = NatAddresses.allocate(props, Set.of());
    assertThat(allocated.value("ip4_addr")).isEqualTo("vnet0|172.16.0.2/30");
    assertThat(allocated.value("defaultrouter")).isEqualTo("172.16.0.1");
    allocated.checkConsistent();
    Nat nat = JailNetwork.of(web, allocated).nat().orElseThrow();
    assertThat(nat.jailAddress()).isEqualTo("172.16.0.2");
    assertThat(nat.gateway()).isEqualTo("172.16.0.1");
    assertThat(nat.backend()).isEqualTo(Nat.Backend.IPFW);
    assertThat(nat.hostInterface()).isEmpty();
    assertThat(nat.forwards()).containsExactly(new PortForward("tcp", 80, 8282));
  }

  @Test
  void natAddresses_skipPairsOthersHold_andKeepAFreeOne() throws Exception {
    JailProperties props = JailProperties.parse(List.of("vnet=1", "nat=1", "nat_prefix=10.240"));
    JailProperties first = NatAddresses.allocate(props, Set.of("10.240.0.2", "10.240.0.1"));
    assertThat(first.value("ip4_addr")).isEqualTo("vnet0|10.240.0.6/30");
    assertThat(NatAddresses.held(first)).containsExactly("10.240.0.6", "10.240.0.5");
    // kept while free, moved when another jail holds it
    assertThat(NatAddresses.allocate(first, Set.of())).isSameAs(first);
    assertThat(NatAddresses.allocate(first, Set.of("10.240.0.6")).value("ip4_addr"))
        .isEqualTo("vnet0|10.240.0.2/30");
  }

  @Test
  void natAddresses_fullPrefix_isRefused() throws Exception {
    JailProperties props = JailProperties.parse(List.of("vnet=1", "nat=1", "nat_prefix=10.9"));
    java.util.Set<String> all = new java.util.HashSet<>();
    for (int i = 0; i < 256; i++) {
      for (int l = 1; l < 256; l += 4) {
        all.add("10.9." + i + "." + l);
      }
    }
    assertThatThrownBy(() -> NatAddresses.allocate(props, all))
        .isInstanceOf(NatExhaustedException.class)
        .hasMessageContaining("10.9.0.0/16")
        .hasMessageContaining("set nat_prefix");
  }
}
