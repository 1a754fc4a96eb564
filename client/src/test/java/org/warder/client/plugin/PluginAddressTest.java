package org.warder.client.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.net.JailNetwork;
import org.warder.client.runtime.RuntimeSpec;
import org.warder.client.testing.InMemoryJailRuntime;

/** The plugin jail's address: the running jail's real one, the configured one in a plan. */
class PluginAddressTest {
  private final InMemoryJailRuntime runtime = new InMemoryJailRuntime();

  @Test
  void testDhcpJail_isItsLeaseOnceRunning() throws Exception {
    JailName app = JailName.of("app");
    JailProperties props = JailProperties.forPlugin(Map.of("dhcp", "1"), List.of()).props();
    PluginAddress address = new PluginAddress(runtime, app, props);
    assertThat(address.planned()).isEqualTo(PluginAddress.AFTER_START);
    assertThat(address.resolve()).isEqualTo("127.0.0.1"); // not running: nothing better known
    runtime.start(spec("other", JailProperties.defaults()));
    runtime.start(spec("app", props));
    assertThat(address.resolve()).isEqualTo("192.0.2.102"); // jid 2
    assertThat(PluginAddress.scriptEnv(address.resolve()))
        .containsOnly(
            Map.entry("IOCAGE_PLUGIN_IP", "192.0.2.102"),
            Map.entry("WARDER_PLUGIN_IP", "192.0.2.102"));
  }

  @Test
  void testStaticVnetJail_prefersIpv4AndTakesIpv6Alone() throws Exception {
    JailProperties both =
        JailProperties.parse(
            List.of("vnet=1", "ip6_addr=vnet0|2001:db8::7/64", "ip4_addr=vnet0|192.0.2.7/24"));
    PluginAddress a = new PluginAddress(runtime, JailName.of("both"), both);
    assertThat(a.planned()).isEqualTo("192.0.2.7");
    runtime.start(spec("both", both));
    assertThat(a.resolve()).isEqualTo("192.0.2.7");

    JailProperties v6 = JailProperties.parse(List.of("vnet=1", "ip6_addr=vnet0|2001:db8::8/64"));
    PluginAddress b = new PluginAddress(runtime, JailName.of("six"), v6);
    runtime.start(spec("six", v6));
    assertThat(b.resolve()).isEqualTo("2001:db8::8");
  }

  @Test
  void testJailWithoutANetworkOfItsOwn_isItsConfiguredAddressOrLoopback() throws Exception {
    JailProperties aliased = JailProperties.parse(List.of("ip4_addr=em0|203.0.113.9/24"));
    PluginAddress a = new PluginAddress(runtime, JailName.of("alias"), aliased);
    runtime.start(spec("alias", aliased));
    assertThat(a.resolve()).isEqualTo("203.0.113.9");
    PluginAddress none = new PluginAddress(runtime, JailName.of("bare"), JailProperties.defaults());
    assertThat(none.planned()).isEqualTo("127.0.0.1");
    assertThat(none.resolve()).isEqualTo("127.0.0.1");
  }

  private static RuntimeSpec spec(String jail, JailProperties props) throws Exception {
    JailName name = JailName.of(jail);
    return new RuntimeSpec(
        name,
        Path.of("/jails", jail, "root"),
        Path.of("/jails", jail),
        jail,
        false,
        List.of(),
        "/bin/sh /etc/rc",
        "/bin/sh /etc/rc.shutdown",
        Map.of(),
        List.of(),
        JailNetwork.of(name, props),
        props.value("cpuset"));
  }
}
