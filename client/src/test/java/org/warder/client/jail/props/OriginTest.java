package org.warder.client.jail.props;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An origin is a release or template of this host as config.json spells it, never a path. */
class OriginTest {
  @Test
  void testParse_releasesAndTemplatesAsWarderWritesThem() throws Exception {
    assertThat(Origin.of("releases/14.2-RELEASE")).isEqualTo(new Origin.Release("14.2-RELEASE"));
    assertThat(Origin.of("releases/13.4-RELEASE-p2").storageName())
        .isEqualTo("releases/13.4-RELEASE-p2");
    assertThat(Origin.of("templates/acme_base"))
        .isEqualTo(new Origin.Template(new JailName("acme_base")));
    assertThat(Origin.of("templates/web").describe()).isEqualTo("template web");
    JailProperties props =
        JailProperties.defaults().withIdentity(Map.of("origin", "templates/web"));
    assertThat(props.origin()).contains(new Origin.Template(new JailName("web")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/etc",
        "../..",
        "releases/../../etc",
        "releases/",
        "templates/",
        "templates/a/b",
        "templates/..",
        "jails/other",
        "releases/14.2-RELEASE/../../../etc",
        "/usr/local/warder/releases/14.2-RELEASE",
        "releases/.hidden",
        "an import bundle",
        "releases/14.2-RELEASE/root"
      })
  void testParse_anythingElseIsRefusedWhereverReadFromConfigJson(String origin) {
    assertThat(Origin.parse(origin)).isEmpty();
    String json =
        "{\"name\": \"bj\", \"basejail\": 1, \"origin\": "
            + com.fasterxml.jackson.databind.node.TextNode.valueOf(origin)
            + "}";
    assertThatThrownBy(() -> JailProperties.fromConfigJson(json))
        .isInstanceOf(PropertyException.class)
        .hasMessageContaining(
            "property origin: expected releases/<RELEASE> or templates/<TEMPLATE>, a release or"
                + " template of this host, found '");
    assertThatThrownBy(() -> JailProperties.defaults().withIdentity(Map.of("origin", origin)))
        .isInstanceOf(PropertyException.class);
  }
}
