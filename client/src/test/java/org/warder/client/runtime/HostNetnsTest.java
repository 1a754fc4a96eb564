package org.warder.client.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostNetnsTest {
  @Test
  void testFromEnvironment_namedNamespaceWrapsEveryHostCommand() {
    HostNetns ns = HostNetns.fromEnvironment(Map.of("WARDER_NETNS", "lab1"));
    assertThat(ns.ip("link", "show")).containsExactly("ip", "-n", "lab1", "link", "show");
    assertThat(ns.run(List.of("nft", "-f", "F")))
        .containsExactly("nsenter", "--net=/run/netns/lab1", "--", "nft", "-f", "F");
  }

  @Test
  void testFromEnvironment_unsetIsWardersOwnNamespace() {
    HostNetns ns = HostNetns.fromEnvironment(Map.of());
    assertThat(ns.ip("link", "show")).containsExactly("ip", "link", "show");
    assertThat(ns.run(List.of("nft", "-f", "F"))).containsExactly("nft", "-f", "F");
  }

  @Test
  void testRequireExists_aMissingNamespaceSaysHowToMakeIt() {
    assertThatThrownBy(() -> HostNetns.named("warder-no-such-ns").requireExists())
        .hasMessageContaining(
            "expected network namespace warder-no-such-ns (WARDER_NETNS) at"
                + " /run/netns/warder-no-such-ns, found none; create it with 'ip netns add");
  }

  @Test
  void testNamed_refusesAPath() {
    assertThatThrownBy(() -> HostNetns.named("../../proc/1/ns/net"))
        .hasMessageContaining("expected WARDER_NETNS to name a namespace in /run/netns");
  }
}
