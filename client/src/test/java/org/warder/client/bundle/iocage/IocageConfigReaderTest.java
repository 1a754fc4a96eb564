package org.warder.client.bundle.iocage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.warder.client.bundle.BadBundleException;
import org.warder.client.bundle.BundleException;
import org.warder.client.jail.props.Consent;

/**
 * iocage's config.json of real shapes (thin, thick, plugin, template, base jail) read as warder's
 * properties.
 */
class IocageConfigReaderTest {
  static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
  static final IocageImage WEB = new IocageImage("web", "2024-05-01");

  /**
   * A thin config as iocage 1.x writes it for 'iocage create -r 13.2-RELEASE -n web' plus a few
   * 'iocage set's.
   */
  static final String THIN =
      """
      {
          "allow_raw_sockets": 1,
          "boot": 1,
          "cloned_release": "13.2-RELEASE",
          "defaultrouter": "192.168.0.1",
          "exec_prestart": "/usr/local/bin/fw-open web",
          "host_hostname": "web",
          "host_hostuuid": "web",
          "ip4_addr": "vnet0|192.168.0.10/24",
          "jail_zfs_dataset": "iocage/jails/web/data",
          "last_started": "2024-04-30 12:00:01",
          "memoryuse": "2G:deny",
          "notes": "front end",
          "owner": "alice",
          "priority": "20",
          "release": "13.2-RELEASE-p11",
          "type": "jail",
          "vnet": 1
      }""";

  static ImportedConfig read(String json, String name, String... allowed) throws Exception {
    return IocageConfigReader.read(
        json.getBytes(StandardCharsets.UTF_8), WEB, name, NOW, Consent.of(List.of(allowed)));
  }

  @Test
  void testRead_thinConfig() throws Exception {
    ImportedConfig c = read(THIN, "web", "allow_raw_sockets", "exec_prestart", "ip4_addr", "vnet");
    assertThat(c.props().explicit())
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.ofEntries(
                    Map.entry("allow_raw_sockets", "1"),
                    Map.entry("boot", "1"),
                    Map.entry("created", "2026-01-02T03:04:05Z"),
                    Map.entry("defaultrouter", "192.168.0.1"),
                    Map.entry("exec_prestart", "/usr/local/bin/fw-open web"),
                    Map.entry("ip4_addr", "vnet0|192.168.0.10/24"),
                    Map.entry("name", "web"),
                    Map.entry("notes", "front end"),
                    Map.entry("priority", "20"),
                    Map.entry("release", "13.2-RELEASE-p11"),
                    Map.entry("type", "jail"),
                    Map.entry("vnet", "1"))));
    assertThat(c.dropped())
        .containsExactly(
            "memoryuse=2G:deny: rctl resource limits are not implemented: warder runs no rctl -a at start"
                + " (iocage's way); limit the jail with rctl(8) yourself once it runs",
            "owner=alice: not a property warder knows",
            "cloned_release=13.2-RELEASE: the received root is a full copy, not a clone of 13.2-RELEASE");
    assertThat(c.notes())
        .containsExactly(
            "thin config.json: the keys it lacks take iocage's stock defaults (warder's), not the source host's"
                + " defaults.json, which an export does not carry");
    assertThat(c.screening()).isEmpty();
  }

  @Test
  void testRead_hostActingValuesAreDroppedAndListedWithoutConsent() throws Exception {
    ImportedConfig c = read(THIN, "web", "vnet", "devfs_ruleset");
    assertThat(c.props().explicit())
        .doesNotContainKeys("allow_raw_sockets", "exec_prestart", "ip4_addr")
        .containsEntry("vnet", "1")
        .containsEntry("defaultrouter", "192.168.0.1")
        .containsEntry("boot", "1");
    assertThat(c.props().value("exec_prestart")).isEqualTo("/usr/bin/true");
    assertThat(c.screening())
        .containsExactly(
            "warning: dropped allow_raw_sockets=1 from iocage's config.json (weakens the jail); to keep it:"
                + " --allow-property allow_raw_sockets",
            "warning: dropped exec_prestart=/usr/local/bin/fw-open web from iocage's config.json (acts on the host);"
                + " to keep it: --allow-property exec_prestart",
            "warning: dropped ip4_addr=vnet0|192.168.0.10/24 from iocage's config.json (acts on the host); to keep it:"
                + " --allow-property ip4_addr",
            "note: --allow-property devfs_ruleset: iocage's config.json does not set devfs_ruleset; nothing to allow");
  }

  @Test
  void testRead_newNameTakesTheDerivedHostnameAndUuid() throws Exception {
    ImportedConfig c = read(THIN, "web2");
    assertThat(c.props().explicit())
        .doesNotContainKeys("host_hostname", "host_hostuuid")
        .containsEntry("name", "web2");
    assertThat(c.props().jailParameters())
        .containsEntry("host.hostname", "web2")
        .containsEntry("host.hostuuid", "web2");
    ImportedConfig own =
        read(
            "{\"host_hostname\": \"www.example.org\", \"host_hostuuid\": \"4a1b\", \"release\":"
                + " \"13.2-RELEASE\"}",
            "web2");
    assertThat(own.props().explicit())
        .containsEntry("host_hostname", "www.example.org")
        .containsEntry("host_hostuuid", "4a1b");
  }

  @Test
  void testRead_thickConfigLeavesItsDefaultsOut() throws Exception {
    ImportedConfig c =
        read(
            """
        {
            "CONFIG_TYPE": "THICK", "CONFIG_VERSION": "29", "allow_mount_fdescfs": 0, "allow_set_hostname": 1,
            "assign_localhost": 0, "boot": "off", "comment": "none", "compression": "lz4", "coredumpsize": "off",
            "dedup": "off", "devfs_ruleset": "4", "exec_start": "/bin/sh /etc/rc", "hostid": "9a3b7c2e",
            "interfaces": "vnet0:bridge0", "jail_zfs": 0, "jail_zfs_dataset": "iocage/jails/web/data",
            "jail_zfs_mountpoint": "none", "login_flags": "-f root", "mac_prefix": "02a098", "memoryuse": "off",
            "min_dyn_devfs_ruleset": "1000", "owner": "root", "release": "13.2-RELEASE-p4", "securelevel": "2",
            "sync_state": "none", "template": 0, "type": "jail", "vnet0_mac": "none", "vnet0_mtu": "auto",
            "vnet_default_interface": "auto", "vnet_default_mtu": "1500"
        }""",
            "web");
    assertThat(c.props().explicit()).containsOnlyKeys("created", "name", "release", "type");
    assertThat(c.dropped()).isEmpty();
    assertThat(c.notes())
        .containsExactly(
            "thick config.json (CONFIG_VERSION 29): 21 keys warder does not carry"
                + " left out, each at iocage's default or about the source host");
  }

  @Test
  void testRead_pluginJail() throws Exception {
    ImportedConfig c =
        read(
            """
        {"basejail": 0, "boot": 1, "host_hostname": "web", "host_hostuuid": "web",
         "jail_zfs_dataset": "iocage/jails/web/data", "nat": 1, "nat_forwards": "tcp(80:8282),tcp(443:8283)",
         "plugin_name": "nextcloud", "plugin_repository": "https://github.com/freenas/iocage-ix-plugins.git",
         "release": "13.2-RELEASE-p11", "type": "pluginv2", "vnet": 1}""",
            "web",
            "nat",
            "nat_forwards",
            "vnet");
    assertThat(c.props().explicit())
        .containsEntry("type", "plugin")
        .containsEntry("plugin_name", "nextcloud")
        .containsEntry("plugin_repository", "https://github.com/freenas/iocage-ix-plugins.git")
        .containsEntry("nat", "1")
        .containsEntry("nat_forwards", "tcp(80:8282),tcp(443:8283)");
    assertThat(c.notes())
        .contains(
            "iocage plugin jail: kept as type plugin with its files; 'warder plugin update'"
                + " updates only plugins warder installed");
  }

  @Test
  void testRead_templateBecomesAJail() throws Exception {
    ImportedConfig c =
        read("{\"release\": \"13.2-RELEASE\", \"template\": 1, \"type\": \"template\"}", "web");
    assertThat(c.props().explicit()).containsEntry("type", "jail").doesNotContainKey("template");
    assertThat(c.notes())
        .contains(
            "iocage template: imported as a jail, as iocage imports templates; make it a"
                + " template again with 'warder set template=yes web'");
  }

  @Test
  void testRead_baseJailNamesItsRelease() throws Exception {
    ImportedConfig c =
        read("{\"basejail\": 1, \"release\": \"13.2-RELEASE-p11\", \"type\": \"jail\"}", "web");
    assertThat(c.props().explicit())
        .containsEntry("basejail", "1")
        .containsEntry("origin", "releases/13.2-RELEASE");
    ImportedConfig fromTemplate =
        read(
            "{\"basejail\": \"yes\", \"cloned_release\": \"13.2-RELEASE\", \"release\":"
                + " \"13.2-RELEASE\", \"source_template\": \"tmpl\"}",
            "web");
    assertThat(fromTemplate.props().explicit())
        .containsEntry("origin", "templates/tmpl")
        .containsEntry("source_template", "tmpl");
  }

  @Test
  void testRead_baseJailWhoseReleaseIsAPathIsRefused() {
    for (String release : List.of("../../../etc", "/etc")) {
      assertThatThrownBy(
              () ->
                  read(
                      "{\"basejail\": 1, \"cloned_release\": \""
                          + release
                          + "\", \"release\":"
                          + " \"13.2-RELEASE\"}",
                      "web"))
          .as(release)
          .isInstanceOf(BundleException.class)
          .hasMessageContaining(
              "property origin: expected releases/<RELEASE> or templates/<TEMPLATE>, a release or"
                  + " template of this host, found 'releases/"
                  + release
                  + "'");
    }
  }

  @Test
  void testRead_delegatedDatasetIsDroppedWithItsReason() throws Exception {
    ImportedConfig c =
        read(
            "{\"jail_zfs\": 1, \"jail_zfs_dataset\": \"iocage/jails/web/data\", \"release\":"
                + " \"13.2-RELEASE\"}",
            "web");
    assertThat(c.dropped())
        .containsExactly(
            "jail_zfs=1: delegated ZFS datasets are not implemented: warder never runs zfs jail"
                + " to hand a dataset to a jail",
            "jail_zfs_dataset=iocage/jails/web/data: delegated ZFS datasets are not implemented: warder never runs zfs jail"
                + " to hand a dataset to a jail");
  }

  @Test
  void testRead_refusesWhatWarderCannotRepresent() {
    assertThatThrownBy(
            () -> read("{\"ip4_addr\": \"vnet0|DHCP\", \"release\": \"13.2-RELEASE\"}", "web"))
        .isInstanceOf(UnsupportedIocageConfigException.class)
        .hasMessageStartingWith(
            "config.json of web_2024-05-01.zip has a value warder cannot represent (property"
                + " ip4_addr: expected ")
        .hasMessageEndingWith(
            "; nothing was imported: change ip4_addr on the iocage host ('iocage set ip4_addr=..."
                + " web') and export again")
        .extracting(e -> ((UnsupportedIocageConfigException) e).key())
        .isEqualTo("ip4_addr");
    assertThatThrownBy(() -> read("{\"type\": \"vm\"}", "web"))
        .isInstanceOf(UnsupportedIocageConfigException.class)
        .hasMessage(
            "config.json of web_2024-05-01.zip has type=\"vm\"; expected one of jail, clonejail, basejail,"
                + " template, plugin, pluginv2; nothing was imported");
    assertThatThrownBy(
            () -> read("{\"release\": \"13.2-RELEASE\", \"release\": \"14.0-RELEASE\"}", "web"))
        .isInstanceOf(BadBundleException.class)
        .hasMessageContaining("Duplicate field 'release'");
  }
}
