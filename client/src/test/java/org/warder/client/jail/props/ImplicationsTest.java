package org.warder.client.jail.props;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.warder.client.jail.props.PropertyException.Problem;

/**
 * What dhcp, bpf and accept_rtadv turn on, the same for create, set and a plugin install, and the
 * contrary values that are refused instead.
 */
class ImplicationsTest {

  @Test
  void testForCreate_dhcpTurnsOnVnetAndBpfAndSaysSo() throws Exception {
    Implied i = JailProperties.forCreate(List.of("dhcp=1"));
    assertThat(i.props().explicit())
        .containsExactlyInAnyOrderEntriesOf(Map.of("dhcp", "1", "vnet", "1", "bpf", "1"));
    assertThat(i.turnedOn())
        .containsExactly(
            "vnet=1 (dhcp=1 needs it: a DHCP client needs the jail's own network stack)",
            "bpf=1 (dhcp=1 needs it: the DHCP client sends and receives raw frames through"
                + " /dev/bpf)");
  }

  @Test
  void testForCreate_bpfTurnsOnVnet() throws Exception {
    Implied i = JailProperties.forCreate(List.of("bpf=yes"));
    assertThat(i.props().explicit()).containsOnlyKeys("bpf", "vnet");
    assertThat(i.turnedOn()).singleElement().asString().startsWith("vnet=1 (bpf=1 needs it");
  }

  @Test
  void testForCreate_acceptRtadvTurnsOnVnetAndRtsold() throws Exception {
    Implied i = JailProperties.forCreate(List.of("ip6_addr=accept_rtadv,vnet0|2001:db8::5/64"));
    assertThat(i.props().value("ip6_addr")).isEqualTo("vnet0|accept_rtadv,vnet0|2001:db8::5/64");
    assertThat(i.props().isTrue("vnet")).isTrue();
    assertThat(i.props().isTrue("rtsold")).isTrue();
    assertThat(i.props().acceptRtadvInterfaces()).containsExactly("vnet0");
    assertThat(i.props().ip6Addresses())
        .singleElement()
        .asString()
        .isEqualTo("vnet0|2001:db8::5/64");
    assertThat(i.turnedOn()).hasSize(2);
  }

  @Test
  void testForCreate_nothingImpliedIsNothingSaid() throws Exception {
    Implied i = JailProperties.forCreate(List.of("vnet=1", "dhcp=1", "bpf=1"));
    assertThat(i.turnedOn()).isEmpty();
    assertThat(JailProperties.forCreate(List.of("ip4_addr=em0|192.0.2.5/24")).turnedOn()).isEmpty();
  }

  @Test
  void testForCreate_refusesAContraryValueInsteadOfOverridingIt() {
    assertThat(inconsistent(() -> JailProperties.forCreate(List.of("dhcp=1", "vnet=0"))))
        .hasMessage(
            "dhcp=1 needs vnet=1 (a DHCP client needs the jail's own network stack), but vnet=0"
                + " is given; drop vnet=0 or choose a network mode without dhcp=1");
    assertThat(inconsistent(() -> JailProperties.forCreate(List.of("dhcp=on", "bpf=off"))))
        .hasMessageStartingWith("dhcp=1 needs bpf=1");
    assertThat(inconsistent(() -> JailProperties.forCreate(List.of("bpf=1", "vnet=no"))))
        .hasMessageStartingWith("bpf=1 needs vnet=1");
    assertThat(
            inconsistent(
                () -> JailProperties.forCreate(List.of("ip6_addr=vnet0|accept_rtadv", "rtsold=0"))))
        .hasMessageStartingWith("ip6_addr IFACE|accept_rtadv needs rtsold=1");
  }

  @Test
  void testForCreate_checksConsistency() {
    assertThat(inconsistent(() -> JailProperties.forCreate(List.of("dhcp=1", "nat=1"))))
        .hasMessageContaining("exclude each other");
    assertThat(inconsistent(() -> JailProperties.forCreate(List.of("rtsold=1"))))
        .hasMessage(
            "rtsold=1 needs an ip6_addr entry IFACE|accept_rtadv (as in iocage), found"
                + " ip6_addr=none; add vnet0|accept_rtadv to ip6_addr or set rtsold=0");
    assertThat(inconsistent(() -> JailProperties.forCreate(List.of("ip6_addr=vnet2|accept_rtadv"))))
        .hasMessageContaining("is on vnet2, which interfaces (vnet0:bridge0) does not name");
  }

  @Test
  void testAcceptRtadv_isRefusedInIp4AddrAndWithAPrefix() {
    PropertyException v4 =
        catchThrowableOfType(
            PropertyException.class,
            () -> JailProperties.forCreate(List.of("ip4_addr=vnet0|accept_rtadv")));
    assertThat(v4.problem()).isEqualTo(Problem.MALFORMED_VALUE);
    assertThat(v4).hasMessageContaining("put it in ip6_addr (e.g. ip6_addr='vnet0|accept_rtadv')");
    PropertyException prefixed =
        catchThrowableOfType(
            PropertyException.class,
            () -> JailProperties.forCreate(List.of("ip6_addr=vnet0|accept_rtadv/64")));
    assertThat(prefixed.problem()).isEqualTo(Problem.MALFORMED_VALUE);
  }

  @Test
  void testAcceptRtadv_withoutVnetInAStoredConfigIsRefusedAtStart() throws Exception {
    // a config.json written by hand, never through create or set
    JailProperties p =
        JailProperties.fromConfigJson(
            "{\"name\": \"v6\", \"ip6_addr\": \"vnet0|accept_rtadv\", \"rtsold\": 1}");
    PropertyException e = catchThrowableOfType(PropertyException.class, p::checkConsistent);
    assertThat(e)
        .hasMessage(
            "ip6_addr entry vnet0|accept_rtadv needs vnet=1 (router advertisements reach only the"
                + " jail's own network stack); set vnet=1");
  }

  @Test
  void testWithImplied_setAgreesWithCreate() throws Exception {
    JailProperties plain = JailProperties.parse(List.of("notes=x"));
    Implied set = plain.withImplied(Map.of("dhcp", "1"));
    assertThat(set.props().explicit()).containsOnlyKeys("notes", "dhcp", "vnet", "bpf");
    assertThat(set.turnedOn())
        .isEqualTo(JailProperties.forCreate(List.of("notes=x", "dhcp=1")).turnedOn());
    // turning vnet off under a DHCP jail is refused, not followed by a silent vnet=1
    assertThat(inconsistent(() -> set.props().withImplied(Map.of("vnet", "0"))))
        .hasMessageStartingWith("dhcp=1 needs vnet=1");
    assertThat(set.props().withImplied(Map.of("vnet", "0", "dhcp", "0", "bpf", "0")).props())
        .isEqualTo(plain);
  }

  @Test
  void testForPlugin_getsIocagesPluginDefaultsUnlessTheUserSaysOtherwise() throws Exception {
    assertThat(JailProperties.forPlugin(Map.of(), List.of()).props().explicit())
        .isEqualTo(Map.of("vnet", "1", "boot", "1"));
    assertThat(JailProperties.forPlugin(Map.of(), List.of("vnet=0", "boot=off")).props().explicit())
        .isEmpty();
    assertThat(JailProperties.forPlugin(Map.of("boot", "off"), List.of()).props().explicit())
        .isEqualTo(Map.of("vnet", "1"));
  }

  @Test
  void testForPlugin_dhcpManifestTurnsOnBpfButNotAgainstTheUser() throws Exception {
    Implied i = JailProperties.forPlugin(Map.of("dhcp", "1"), List.of());
    assertThat(i.props().explicit()).containsEntry("bpf", "1").containsEntry("vnet", "1");
    assertThat(i.turnedOn()).singleElement().asString().startsWith("bpf=1 (dhcp=1 needs it");
    assertThat(inconsistent(() -> JailProperties.forPlugin(Map.of("dhcp", "1"), List.of("vnet=0"))))
        .hasMessage(
            "dhcp=1 needs vnet=1 (a DHCP client needs the jail's own network stack), but vnet=0"
                + " is given; drop vnet=0 or choose a network mode without dhcp=1");
    assertThat(
            inconsistent(
                () -> JailProperties.forPlugin(Map.of("dhcp", "1", "vnet", "0"), List.of())))
        .hasMessageContaining("but vnet=0 is given (in the plugin manifest's properties)");
    // a network mode of the user's own drops the manifest's dhcp: nothing to contradict
    assertThat(
            JailProperties.forPlugin(
                    Map.of("dhcp", "1"), List.of("vnet=0", "ip4_addr=em0|192.0.2.7/24"))
                .props()
                .explicit())
        .isEqualTo(Map.of("boot", "1", "ip4_addr", "em0|192.0.2.7/24"));
  }

  @Test
  void testForPlugin_anAddressOnAHostInterfaceNeedsVnet0() {
    assertThat(
            inconsistent(
                () -> JailProperties.forPlugin(Map.of(), List.of("ip4_addr=em0|192.0.2.7/24"))))
        .hasMessageEndingWith("or set vnet=0 for an address jail(8) adds to the host's em0");
  }

  @Test
  void testForPlugin_manifestCannotReachHostNetworkKeys() {
    PropertyException e =
        catchThrowableOfType(
            PropertyException.class,
            () -> JailProperties.forPlugin(Map.of("vnet_default_interface", "em1"), List.of()));
    assertThat(e.problem()).isEqualTo(Problem.HOST_ONLY);
    assertThat(PluginPropertyDefaults.neverGranted("vnet_default_interface")).isPresent();
    // mac_prefix is the user's, but it puts MACs on the host's network: consent, by key
    assertThat(PluginPropertyDefaults.allowed("mac_prefix", "0a0b0c")).isFalse();
    assertThat(PluginPropertyDefaults.allowed("vnet", "1")).isTrue();
  }

  private static PropertyException inconsistent(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    PropertyException e = catchThrowableOfType(PropertyException.class, call);
    assertThat(e).isNotNull();
    assertThat(e.problem()).isEqualTo(Problem.INCONSISTENT);
    return e;
  }
}
