package org.warder.client.jail.props;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Translation of properties to jail(8) parameters. */
class JailParametersTest {
  @Test
  void testJailParameters_defaults() {
    assertThat(JailProperties.defaults().jailParameters())
        .containsExactly(
            Map.entry("ip4", "new"),
            Map.entry("ip4.saddrsel", "true"),
            Map.entry("ip6", "new"),
            Map.entry("ip6.saddrsel", "true"),
            Map.entry("securelevel", "2"),
            Map.entry("enforce_statfs", "2"),
            Map.entry("children.max", "0"),
            Map.entry("devfs_ruleset", "4"),
            Map.entry("allow.set_hostname", "true"),
            Map.entry("sysvmsg", "new"),
            Map.entry("sysvsem", "new"),
            Map.entry("sysvshm", "new"),
            Map.entry("mount.devfs", "true"),
            Map.entry("mount.fdescfs", "true"),
            Map.entry("exec.clean", "true"),
            Map.entry("exec.start", "/bin/sh /etc/rc"),
            Map.entry("exec.stop", "/bin/sh /etc/rc.shutdown"),
            Map.entry("exec.timeout", "60"),
            Map.entry("stop.timeout", "30"),
            Map.entry("persist", "true"));
  }

  @Test
  void testJailParameters_translatesEveryKind() throws Exception {
    JailProperties p =
        JailProperties.parse(
                List.of(
                    "allow_raw_sockets=1",
                    "allow_mount=1",
                    "allow_mount_zfs=1",
                    "allow_set_hostname=0",
                    "allow_vmm=0",
                    "allow_tun=1",
                    "children_max=3",
                    "enforce_statfs=1",
                    "mount_procfs=1",
                    "mount_fdescfs=0",
                    "exec_prestart=logger starting",
                    "exec_poststop=logger stopped",
                    "exec_fib=2",
                    "exec_jail_user=www",
                    "ip4_addr=em0|192.0.2.5/24,192.0.2.6",
                    "ip6=disable",
                    "ip4_saddrsel=0",
                    "host_hostname=web.example.org",
                    "host_domainname=example.org",
                    "sysvshm=disable"))
            .withIdentity(Map.of("name", "web_1"));
    Map<String, String> m = p.jailParameters();
    assertThat(m)
        .containsEntry("host.hostname", "web.example.org")
        .containsEntry("host.domainname", "example.org")
        .containsEntry("host.hostuuid", "web_1")
        .containsEntry("ip4.addr", "em0|192.0.2.5/24,192.0.2.6")
        .containsEntry("ip4.saddrsel", "false")
        .containsEntry("ip6", "disable")
        .containsEntry("allow.set_hostname", "false")
        .containsEntry("allow.raw_sockets", "true")
        .containsEntry("allow.mount", "true")
        .containsEntry("allow.mount.zfs", "true")
        .containsEntry("children.max", "3")
        .containsEntry("enforce_statfs", "1")
        .containsEntry("mount.procfs", "true")
        .containsEntry("mount.fdescfs", "false")
        .containsEntry("exec.prestart", "logger starting")
        .containsEntry("exec.poststop", "logger stopped")
        .containsEntry("exec.fib", "2")
        .containsEntry("exec.jail_user", "www")
        .containsEntry("sysvshm", "disable")
        .doesNotContainKeys(
            "allow.vmm", "allow.tun", "exec.poststart", "exec.prestop", "ip6.addr", "vnet");
    assertThat(List.copyOf(m.keySet()).subList(0, 3))
        .containsExactly("host.hostname", "host.domainname", "host.hostuuid");
  }

  @Test
  void testJailParameters_vnetLeavesAddressesToTheJail() throws Exception {
    Map<String, String> m =
        JailProperties.parse(List.of("vnet=1", "ip4_addr=vnet0|192.0.2.10/24"))
            .withIdentity(Map.of("name", "db_2"))
            .jailParameters();
    assertThat(m)
        .containsEntry("vnet", "new")
        .containsEntry("host.hostname", "db-2")
        .doesNotContainKeys("ip4", "ip4.addr", "ip6", "ip4.saddrsel");
  }
}
