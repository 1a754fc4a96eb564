package org.warder.client.jail.props;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.warder.client.jail.props.PropertySpec.Access;

/** The catalog covers what plugin manifests and the book use, with iocage's defaults. */
class PropertyCatalogTest {
  @Test
  void testCatalog_knowsTheKeysManifestsAndTheBookUse() {
    for (String key :
        List.of(
            "nat",
            "nat_forwards",
            "dhcp",
            "allow_raw_sockets",
            "allow_mlock",
            "ip6",
            "mount_procfs",
            "securelevel",
            "enforce_statfs",
            "ip4_addr",
            "boot",
            "depends",
            "priority",
            "exec_start",
            "exec_stop",
            "exec_prestart",
            "exec_poststart",
            "exec_prestop",
            "exec_poststop",
            "exec_timeout",
            "stop_timeout",
            "exec_clean",
            "sysvmsg",
            "sysvsem",
            "sysvshm",
            "allow_mount",
            "allow_mount_zfs",
            "allow_set_hostname",
            "allow_read_msgbuf",
            "mount_fdescfs",
            "host_time",
            "resolver",
            "template",
            "basejail",
            "children_max",
            "devfs_ruleset")) {
      assertThat(PropertyCatalog.find(key))
          .as(key)
          .hasValueSatisfying(s -> assertThat(s.settable()).isTrue());
    }
  }

  @Test
  void testCatalog_everyKeyIsDescribedAndIdentityHasNoDefault() {
    for (PropertySpec s : PropertyCatalog.all()) {
      assertThat(s.description()).as(s.key()).isNotBlank();
      assertThat(s.defaultValue().isPresent()).as(s.key()).isEqualTo(s.settable());
      assertThat(s.key()).doesNotContain(".");
    }
    assertThat(PropertyCatalog.all())
        .filteredOn(s -> s.access() == Access.IDENTITY)
        .extracting(PropertySpec::key)
        .containsExactly(
            "name",
            "type",
            "release",
            "created",
            "origin",
            "cloned_release",
            "source_template",
            "plugin_name",
            "plugin_repository",
            "remote",
            "remote_tag");
    assertThat(PropertyCatalog.all())
        .filteredOn(s -> s.access() == Access.HOST)
        .extracting(PropertySpec::key)
        .containsExactlyInAnyOrder(
            "interfaces",
            "vnet_default_interface",
            "nat_prefix",
            "nat_interface",
            "nat_backend",
            "resolver",
            "exec_prestart",
            "exec_created",
            "exec_poststart",
            "exec_prestop",
            "exec_poststop",
            "exec_fib",
            "devfs_ruleset");
  }

  @Test
  void testJailName_rules() throws Exception {
    assertThat(JailName.of("www1").value()).isEqualTo("www1");
    assertThat(JailName.of("ioc-web_2").value()).isEqualTo("ioc-web_2");
    for (String bad :
        List.of("", "-r", "12", "a.b", "a b", "a/b", "..", "x".repeat(65), "Jellyfin Server")) {
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> JailName.of(bad)))
          .as(bad)
          .isInstanceOf(PropertyException.class);
    }
  }
}
