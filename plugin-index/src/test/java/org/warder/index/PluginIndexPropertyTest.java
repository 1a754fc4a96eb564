package org.warder.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.warder.signing.testing.BoundedParse;
import org.warder.signing.testing.Mutations;

/**
 * Properties of INDEX parsing on the real iocage INDEX (74 plugins) mutated byte by byte and value
 * by value: it parses or is refused with a {@link CatalogException}, and an INDEX that parses
 * writes a canonical form that reads back as the same INDEX, without new warnings.
 */
class PluginIndexPropertyTest {
  private static final List<byte[]> SEEDS = List.of(Samples.read(Samples.INDEX));
  private static final List<String> DOMAIN_VALUES =
      List.of("\"nextcloud.json\"", "\"../nextcloud.json\"", "\"/etc/passwd\"", "\"a/b.json\"", "\"\"",
          "\"https://www.ixsystems.com/x.png\"", "\"plugins/acme/nextcloud/manifest.json\"",
          "\"plugins/../x\"", "\"Nextcloud\"", "\"\\u202eevil\"", "\"line\\nbreak\"",
          "{\"MANIFEST\":\"x.json\",\"name\":\"x\",\"icon\":\"i\",\"description\":\"d\",\"official\":false}",
          "{\"MANIFEST\":\"x.json\",\"name\":\"x\",\"icon\":\"i\",\"description\":\"d\",\"official\":\"true\","
              + "\"primary_pkg\":\"\"}");

  @Property(tries = 80)
  void testParse_mutatedBytes_indexOrRefusal(@ForAll("mutatedBytes") byte[] json) {
    parseAndRoundTrip(json);
  }

  @Property(tries = 120)
  void testParse_mutatedValues_indexOrRefusal(@ForAll("mutatedJson") byte[] json) {
    parseAndRoundTrip(json);
  }

  private static void parseAndRoundTrip(byte[] json) {
    BoundedParse.parsedOrRefused(CatalogException.class, () -> PluginIndex.parse(json)).ifPresent(parsed -> {
      byte[] canonical = parsed.value().toJson();
      Parsed<PluginIndex> again =
          BoundedParse.parsedOrRefused(CatalogException.class, () -> PluginIndex.parse(canonical)).orElseThrow();
      // As JSON text first: a failure then shows control characters escaped.
      assertThat(new String(again.value().toJson(), StandardCharsets.UTF_8))
          .isEqualTo(new String(canonical, StandardCharsets.UTF_8));
      assertThat(again.value()).isEqualTo(parsed.value());
      assertThat(parsed.warnings()).as("warnings on the canonical form, each also on the original")
          .containsAll(again.warnings());
    });
  }

  @Provide
  Arbitrary<byte[]> mutatedBytes() {
    return Mutations.ofBytes(SEEDS);
  }

  @Provide
  Arbitrary<byte[]> mutatedJson() {
    return Mutations.ofJson(SEEDS, DOMAIN_VALUES);
  }
}
