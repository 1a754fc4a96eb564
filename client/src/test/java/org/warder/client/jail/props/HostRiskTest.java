package org.warder.client.jail.props;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one classification of what a property value risks for the host, over the whole catalog. */
class HostRiskTest {
  private static Optional<HostRisk> risk(String key, String value) {
    return PropertyCatalog.find(key).orElseThrow().risk(value);
  }

  @Test
  void testActsOnHost_exactKeys() {
    assertThat(
            PropertyCatalog.all().stream().filter(PropertySpec::actsOnHost).map(PropertySpec::key))
        .containsExactly(
            "interfaces",
            "vnet_default_interface",
            "vnet_default_mtu",
            "mac_prefix",
            "vnet0_mac",
            "vnet0_mtu",
            "vnet1_mac",
            "vnet1_mtu",
            "vnet2_mac",
            "vnet2_mtu",
            "vnet3_mac",
            "vnet3_mtu",
            "vnet",
            "ip4_addr",
            "ip6_addr",
            "dhcp",
            "rtsold",
            "nat",
            "nat_forwards",
            "nat_prefix",
            "nat_interface",
            "nat_backend",
            "resolver",
            "ip_hostname",
            "exec_prestart",
            "exec_created",
            "exec_poststart",
            "exec_prestop",
            "exec_poststop",
            "exec_fib",
            "devfs_ruleset",
            "cpuset");
  }

  @Test
  void testWeakensJail_exactKeysAndValues() {
    List<String> weakening =
        PropertyCatalog.all().stream()
            .filter(PropertySpec::settable)
            .filter(s -> !s.actsOnHost() && HostRisk.canRisk(s))
            .map(PropertySpec::key)
            .toList();
    assertThat(weakening)
        .containsExactly(
            "ip4",
            "ip6",
            "bpf",
            "exec_clean",
            "securelevel",
            "enforce_statfs",
            "children_max",
            "allow_sysvipc",
            "allow_raw_sockets",
            "allow_chflags",
            "allow_mlock",
            "allow_mount",
            "allow_mount_devfs",
            "allow_mount_fdescfs",
            "allow_mount_fusefs",
            "allow_mount_nullfs",
            "allow_mount_procfs",
            "allow_mount_linprocfs",
            "allow_mount_tmpfs",
            "allow_mount_zfs",
            "allow_quotas",
            "allow_read_msgbuf",
            "allow_socket_af",
            "allow_vmm",
            "allow_tun",
            "sysvmsg",
            "sysvsem",
            "sysvshm",
            "mount_procfs",
            "mount_linprocfs");
    Map<String, String> looser =
        Map.ofEntries(
            Map.entry("securelevel", "1"),
            Map.entry("enforce_statfs", "0"),
            Map.entry("children_max", "1"),
            Map.entry("allow_mount", "1"),
            Map.entry("allow_tun", "1"),
            Map.entry("ip4", "inherit"),
            Map.entry("sysvshm", "inherit"),
            Map.entry("exec_clean", "0"),
            Map.entry("bpf", "1"),
            Map.entry("mount_procfs", "1"));
    looser.forEach(
        (k, v) -> assertThat(risk(k, v)).as(k + "=" + v).contains(HostRisk.WEAKENS_JAIL));
    Map<String, String> tighter =
        Map.ofEntries(
            Map.entry("securelevel", "3"),
            Map.entry("allow_set_hostname", "0"),
            Map.entry("ip4", "disable"),
            Map.entry("sysvmsg", "disable"),
            Map.entry("mount_devfs", "0"),
            Map.entry("mount_fdescfs", "0"),
            Map.entry("children_max", "0"),
            Map.entry("boot", "1"),
            Map.entry("defaultrouter", "192.0.2.1"),
            Map.entry("host_hostname", "www"),
            Map.entry("exec_start", "/bin/sh /x"));
    tighter.forEach((k, v) -> assertThat(risk(k, v)).as(k + "=" + v).isEmpty());
  }

  @Test
  void testRisk_defaultsRiskNothingAndIdentityIsNotSettable() {
    for (PropertySpec spec : PropertyCatalog.all()) {
      spec.defaultValue().ifPresent(d -> assertThat(spec.risk(d)).as(spec.key()).isEmpty());
    }
    assertThat(risk("exec_prestart", "/usr/local/bin/fw-open")).contains(HostRisk.ACTS_ON_HOST);
    assertThat(risk("devfs_ruleset", "0")).contains(HostRisk.ACTS_ON_HOST);
    assertThat(risk("origin", "releases/14.2-RELEASE")).isEmpty();
  }

  @Test
  void testConsent_screenDropsWhatIsNotNamed() throws Exception {
    JailProperties props =
        JailProperties.parse(
            List.of(
                "exec_prestart=/usr/local/bin/fw-open",
                "allow_mount=1",
                "securelevel=3",
                "boot=1"));
    Consent.Screened screened = Consent.of(List.of("allow_mount", "nat")).screen(props);
    assertThat(screened.props().explicit()).containsOnlyKeys("allow_mount", "securelevel", "boot");
    assertThat(screened.dropped())
        .containsExactly(
            new Consent.Dropped("exec_prestart", "/usr/local/bin/fw-open", HostRisk.ACTS_ON_HOST));
    assertThat(screened.unused()).containsExactly("nat");
    assertThat(Consent.none().screen(props).props().explicit())
        .containsOnlyKeys("securelevel", "boot");
    assertThatThrownBy(() -> Consent.of(List.of("notes")))
        .isInstanceOf(PropertyException.class)
        .hasMessageContaining("notes never acts on the host or weakens the jail");
    assertThatThrownBy(() -> Consent.of(List.of("name")))
        .isInstanceOf(PropertyException.class)
        .hasMessageContaining("name never acts on the host");
  }
}
