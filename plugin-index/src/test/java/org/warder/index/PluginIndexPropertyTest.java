package org.warder.index;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.warder.signing.testing.Mutations;

/**
 * Properties of INDEX parsing on the real iocage INDEX (74 plugins) mutated byte by byte and value
 * by value: it parses or is refused with a {@link CatalogException}, and an INDEX that parses
 * writes a canonical form that reads back as the same INDEX, without new warnings.
 */
class PluginIndexPropertyTest {
  private static final List<byte[]> SEEDS = List.of(Samples.read(Samples.INDEX));
  private static final List<String> DOMAIN_VALUES =
      List.of(
          "\"nextcloud.json\"",
          "\"../nextcloud.json\"",
          "\"/etc/passwd\"",
          "\"a/b.json\"",
          "\"\"",
          "\"https://www.ixsystems.com/x.png\"",
          "\"plugins/acme/nextcloud/manifest.json\"",
          "\"plugins/../x\"",
          "\"Nextcloud\"",
          "\"\\u202eevil\"",
          "\"line\\nbreak\"",
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
    CanonicalRoundTrip.check(json, PluginIndex::parse, PluginIndex::toJson);
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
