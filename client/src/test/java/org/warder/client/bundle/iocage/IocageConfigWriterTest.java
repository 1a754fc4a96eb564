package org.warder.client.bundle.iocage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.warder.client.bundle.ExportRefusedException;
import org.warder.client.jail.Jail;
import org.warder.client.jail.props.Consent;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;

/** warder's properties written as iocage's thin config.json, and read back. */
class IocageConfigWriterTest {
  static Jail jail(String name, List<String> props, Map<String, String> identity) throws Exception {
    return new Jail(JailName.of(name), JailProperties.parse(props).withIdentity(identity), false);
  }

  @Test
  void testWrite_thinJailAsIocageWritesIt() throws Exception {
    Jail rt =
        jail(
            "rt_1",
            List.of(
                "boot=1",
                "priority=30",
                "notes=round trip",
                "allow_raw_sockets=yes",
                "ip4_addr=lo0|127.0.0.2/8"),
            Map.of(
                "name",
                "rt_1",
                "type",
                "jail",
                "release",
                "13.4-RELEASE-p2",
                "created",
                "2026-01-02T03:04:05Z",
                "origin",
                "releases/13.4-RELEASE",
                "cloned_release",
                "13.4-RELEASE"));
    IocageConfigWriter.Written w = IocageConfigWriter.write(rt);
    assertThat(w.json())
        .isEqualTo(
            """
        {
            "allow_raw_sockets": 1,
            "boot": 1,
            "host_hostname": "rt-1",
            "host_hostuuid": "rt_1",
            "ip4_addr": "lo0|127.0.0.2/8",
            "jail_zfs_dataset": "iocage/jails/rt_1/data",
            "notes": "round trip",
            "priority": "30",
            "release": "13.4-RELEASE-p2",
            "type": "jail"
        }""");
    assertThat(w.leftOut())
        .containsExactly(
            "cloned_release: the root is sent whole, as iocage's thick jails, which have none",
            "created: warder's own record",
            "origin: warder's own record");
    ImportedConfig back =
        IocageConfigReader.read(
            w.json().getBytes(StandardCharsets.UTF_8),
            new IocageImage("rt_1", "2026-01-02"),
            "rt_1",
            IocageConfigReaderTest.NOW,
            Consent.of(List.of("allow_raw_sockets", "ip4_addr")));
    assertThat(back.props().explicit())
        .isEqualTo(
            JailProperties.parse(
                    List.of(
                        "boot=1",
                        "priority=30",
                        "notes=round trip",
                        "allow_raw_sockets=1",
                        "ip4_addr=lo0|127.0.0.2/8"))
                .withIdentity(
                    Map.of(
                        "name",
                        "rt_1",
                        "type",
                        "jail",
                        "release",
                        "13.4-RELEASE-p2",
                        "created",
                        "2026-01-02T03:04:05Z"))
                .explicit());
    assertThat(back.dropped()).isEmpty();
  }

  @Test
  void testWrite_pluginJailAsAPlainJail() throws Exception {
    Jail p =
        jail(
            "nc",
            List.of(),
            Map.of(
                "name",
                "nc",
                "type",
                "plugin",
                "release",
                "14.2-RELEASE",
                "plugin_name",
                "nextcloud",
                "plugin_repository",
                "https://registry.example/"));
    IocageConfigWriter.Written w = IocageConfigWriter.write(p);
    assertThat(w.json()).contains("\"type\": \"jail\"").doesNotContain("plugin");
    assertThat(w.leftOut())
        .containsExactly(
            "plugin_name: iocage runs a plugin jail warder installed as a plain jail",
            "plugin_repository: iocage runs a plugin jail warder installed as a plain jail",
            "type plugin: written as type jail");
  }

  @Test
  void testWrite_refusesABaseJail() throws Exception {
    Jail base =
        jail(
            "b1",
            List.of("basejail=1"),
            Map.of(
                "name",
                "b1",
                "type",
                "jail",
                "release",
                "14.2-RELEASE",
                "origin",
                "releases/14.2-RELEASE"));
    assertThatThrownBy(() -> IocageConfigWriter.write(base))
        .isInstanceOf(ExportRefusedException.class)
        .hasMessage(
            "b1 is a base jail: its system directories are read-only mounts of releases/14.2-RELEASE, not part"
                + " of its root, and an iocage base jail names them by the importing host's paths in its fstab, which"
                + " warder cannot know; export it in warder's format ('warder export b1'), which imports as a base jail"
                + " on any warder host that has releases/14.2-RELEASE");
  }
}
