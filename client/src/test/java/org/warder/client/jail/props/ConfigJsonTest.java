package org.warder.client.jail.props;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.warder.client.jail.props.PropertyException.Problem;

/** The thin config.json of a jail: exact text, round trip, iocage spellings, refusals. */
class ConfigJsonTest {
  private static JailProperties www1() throws PropertyException {
    return JailProperties.parse(
            List.of(
                "ip4_addr=em0|203.0.113.234/24",
                "allow_raw_sockets=1",
                "boot=on",
                "exec_start=/bin/sh /etc/rc.custom",
                "securelevel=2"))
        .withIdentity(
            Map.of(
                "name",
                "www1",
                "type",
                "jail",
                "release",
                "14.2-RELEASE-p1",
                "created",
                "2025-01-27T10:15:30Z",
                "origin",
                "releases/14.2-RELEASE",
                "cloned_release",
                "14.2-RELEASE"));
  }

  @Test
  void testToConfigJson_onlyNonDefaultsAndIdentitySorted() throws Exception {
    assertThat(www1().toConfigJson())
        .isEqualTo(
            """
        {
          "allow_raw_sockets" : 1,
          "boot" : 1,
          "cloned_release" : "14.2-RELEASE",
          "created" : "2025-01-27T10:15:30Z",
          "exec_start" : "/bin/sh /etc/rc.custom",
          "ip4_addr" : "em0|203.0.113.234/24",
          "name" : "www1",
          "origin" : "releases/14.2-RELEASE",
          "release" : "14.2-RELEASE-p1",
          "type" : "jail"
        }
        """);
  }

  @Test
  void testFromConfigJson_roundTrips() throws Exception {
    JailProperties p = www1();
    assertThat(JailProperties.fromConfigJson(p.toConfigJson())).isEqualTo(p);
  }

  @Test
  void testFromConfigJson_readsIocageSpellings() throws Exception {
    JailProperties p =
        JailProperties.fromConfigJson(
            """
        {"name": "nextcloud", "type": "plugin", "basejail": 1, "boot": "1", "vnet": true, "nat": "on",
         "securelevel": "2", "nat_forwards": "tcp(80:8282),tcp(443:8283)", "host_hostname": "nextcloud",
         "plugin_name": "nextcloud", "plugin_repository": "https://github.com/freenas/iocage-ix-plugins.git",
         "release": "13.2-RELEASE-p11"}
        """);
    assertThat(p.isTrue("vnet")).isTrue();
    assertThat(p.isTrue("nat")).isTrue();
    assertThat(p.explicit()).doesNotContainKey("securelevel");
    assertThat(p.identity("plugin_name")).contains("nextcloud");
  }

  @Test
  void testFromConfigJson_refusesWhatIsNotAThinConfig() {
    assertThat(refused("{\"name\": \"a\", \"jid\": 3}").problem()).isEqualTo(Problem.READ_ONLY);
    PropertyException typo = refused("{\"name\": \"a\", \"secure_level\": 3}");
    assertThat(typo.problem()).isEqualTo(Problem.UNKNOWN_KEY);
    assertThat(typo)
        .hasMessageStartingWith(
            "unknown jail property 'secure_level' (in config.json); did you mean"
                + " securelevel?");
    assertThat(refused("{\"name\": \"a\", \"boot\": [1]}"))
        .hasMessage(
            "config.json: property boot has a JSON array"
                + " value; expected a string or an integer");
    assertThat(refused("{\"name\": \"a\", \"boot\": 1, \"boot\": 0}").problem())
        .isEqualTo(Problem.MALFORMED_CONFIG);
    assertThat(refused("{\"name\": \"a\"} {}").problem()).isEqualTo(Problem.MALFORMED_CONFIG);
    assertThat(refused("[]"))
        .hasMessage(
            "config.json is not a JSON object of properties; restore it from a snapshot"
                + " or backup");
    assertThat(refused("{\"boot\": 1}"))
        .hasMessage(
            "config.json has no \"name\"; every jail's config.json names its"
                + " jail; restore it or re-create the jail");
    assertThat(refused("{\"name\": \"a\", \"securelevel\": 7}"))
        .hasMessageEndingWith("(in config.json)");
    assertThat(refused("{\"name\": \"a\", \"boot\": 1.5}").problem())
        .isEqualTo(Problem.MALFORMED_CONFIG);
  }

  private static PropertyException refused(String json) {
    return catchThrowableOfType(PropertyException.class, () -> JailProperties.fromConfigJson(json));
  }
}
