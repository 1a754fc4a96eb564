package org.warder.client.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.warder.client.net.Nat;
import org.warder.client.net.PortForward;

class NatRulesetTest {
  @Test
  void testOf_eachJailMasqueradedAndForwardedInOneTransaction() {
    Nat web =
        new Nat(
            Nat.Backend.PF,
            Optional.empty(),
            "172.16.0.6",
            "172.16.0.5",
            PortForward.parse("tcp(80:8282),udp(53)"));
    Nat plain =
        new Nat(Nat.Backend.IPFW, Optional.of("em1"), "172.16.1.2", "172.16.1.1", List.of());
    assertThat(
            NatRuleset.of(
                List.of(new NatRuleset.Entry(web, "eth0"), new NatRuleset.Entry(plain, "em1"))))
        .isEqualTo(
            """
            table ip warder {}
            delete table ip warder
            table ip warder {
              chain prerouting {
                type nat hook prerouting priority -100; policy accept;
                iifname "eth0" tcp dport 8282 dnat to 172.16.0.6:80
                iifname "eth0" udp dport 53 dnat to 172.16.0.6:53
              }
              chain postrouting {
                type nat hook postrouting priority 100; policy accept;
                ip saddr 172.16.0.4/30 oifname "eth0" masquerade
                ip saddr 172.16.1.0/30 oifname "em1" masquerade
              }
            }
            """);
  }

  @Test
  void testOf_noJailLeftOnlyRemovesTheTable() {
    assertThat(NatRuleset.of(List.of())).isEqualTo("table ip warder {}\ndelete table ip warder\n");
  }
}
