package org.warder.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.warder.index.BundleManifest.Compression;
import org.warder.index.BundleManifest.Format;
import org.warder.index.BundleManifest.Kind;
import org.warder.index.BundleManifest.Member;
import org.warder.signing.testing.BoundedParse;
import org.warder.signing.testing.Mutations;

/**
 * Properties of bundle.json: any bundle manifest writes and reads back as itself without warnings;
 * a mutated one (byte and value edits of written ones) parses to a manifest naming only the members
 * its format allows, or is refused with a {@link CatalogException}.
 */
class BundleManifestPropertyTest {
  /**
   * Fixed: the outcome statistics checked below must not depend on chance (failures still shrink).
   */
  private static final String FIXED_SEED = "20261202";

  private static final List<String> DOMAIN_VALUES =
      List.of(
          "\"jail\"",
          "\"template\"",
          "\"JAIL\"",
          "\"zfs\"",
          "\"tar\"",
          "\"zstd\"",
          "\"xz\"",
          "\"none\"",
          "\"gzip\"",
          "\"files.tar\"",
          "\"root.tar\"",
          "\"root.tar.zst\"",
          "\"root.zfs.xz\"",
          "\"deleted.list\"",
          "\"../files.tar\"",
          "\"/root.tar\"",
          "\"web\"",
          "\"-web\"",
          "\"14.2-RELEASE\"",
          "\"EMPTY\"",
          "\"2026-11-29T12:00:00Z\"",
          "\"2026-13-29T12:00:00Z\"",
          "\"t1:2026\"",
          "1125899906842624",
          "1125899906842625",
          "\"" + "0".repeat(64) + "\"",
          "\"" + "F".repeat(64) + "\"",
          "{\"name\":\"files.tar\",\"length\":0,\"sha256\":\"" + "0".repeat(64) + "\"}");

  @Property(tries = 120)
  void testToJson_readsBackAsTheSameManifest(@ForAll("manifests") BundleManifest manifest) {
    Parsed<BundleManifest> read =
        BoundedParse.parsedOrRefused(
                CatalogException.class, () -> BundleManifest.parse(manifest.toJson()))
            .orElseThrow();
    assertThat(read.value()).isEqualTo(manifest);
    assertThat(read.warnings()).isEmpty();
    assertThat(read.value().toJson()).isEqualTo(manifest.toJson());
  }

  /**
   * Found by testToJson_readsBackAsTheSameManifest: a member of exactly MAX_LENGTH bytes was
   * written but refused.
   */
  @Example
  void testParse_memberLengthUpToMaxLength() throws Exception {
    String json = new String(seeds().get(1), StandardCharsets.UTF_8);
    String max = json.replace("\"length\": 5,", "\"length\": " + BundleManifest.MAX_LENGTH + ",");
    assertThat(max).isNotEqualTo(json);
    assertThat(
            BundleManifest.parse(max.getBytes(StandardCharsets.UTF_8))
                .value()
                .members()
                .get(1)
                .length())
        .isEqualTo(BundleManifest.MAX_LENGTH);
    String over =
        json.replace("\"length\": 5,", "\"length\": " + (BundleManifest.MAX_LENGTH + 1) + ",");
    Refusals.assertRefusedAt(
        () -> BundleManifest.parse(over.getBytes(StandardCharsets.UTF_8)),
        over,
        BundleManifest.DOCUMENT,
        "$.members[1].length",
        "a byte count from 0 to " + BundleManifest.MAX_LENGTH);
  }

  @Property(tries = 150)
  void testParse_mutatedBytes_manifestOrRefusal(@ForAll("mutatedBytes") byte[] json) {
    parseAndCheck(json);
  }

  @Property(tries = 250, seed = FIXED_SEED)
  void testParse_mutatedValues_manifestOrRefusal(@ForAll("mutatedJson") byte[] json) {
    parseAndCheck(json);
    // Value edits must often leave a valid document (typically 6-13 %), or they test only refusals.
    Statistics.label("outcome").coverage(c -> c.check("parsed").percentage(p -> p >= 2));
  }

  private static void parseAndCheck(byte[] json) {
    Optional<Parsed<BundleManifest>> result =
        BoundedParse.parsedOrRefused(CatalogException.class, () -> BundleManifest.parse(json));
    Statistics.label("outcome").collect(result.isPresent() ? "parsed" : "refused");
    result.ifPresent(
        parsed -> {
          BundleManifest m = parsed.value();
          assertThat(m.members())
              .extracting(Member::name)
              .containsExactlyElementsOf(
                  BundleManifest.expectedMembers(m.format(), m.compression(), m.incremental()));
          assertThat(
                  BoundedParse.parsedOrRefused(
                      CatalogException.class, () -> BundleManifest.parse(m.toJson())))
              .map(Parsed::value)
              .contains(m);
        });
  }

  @Provide
  Arbitrary<byte[]> mutatedBytes() {
    return Mutations.ofBytes(seeds());
  }

  @Provide
  Arbitrary<byte[]> mutatedJson() {
    return Mutations.ofJson(seeds(), DOMAIN_VALUES);
  }

  /** A jail bundle in tar format, incremental, and a template bundle in zfs format. */
  private static List<byte[]> seeds() {
    ObjectNode config =
        CatalogJson.nodes()
            .objectNode()
            .put("release", "14.2-RELEASE")
            .put("vnet", 1)
            .put("ip4_addr", "vnet0|192.0.2.10/24");
    String sha = "0123456789abcdef".repeat(4);
    return List.of(
        new BundleManifest(
                Kind.JAIL,
                "web",
                "14.2-RELEASE",
                Format.TAR,
                Compression.ZSTD,
                Instant.parse("2026-11-29T12:00:00Z"),
                "t2",
                Optional.of("t1"),
                config,
                List.of(
                    new Member("files.tar", 10240, sha),
                    new Member("root.tar.zst", 1 << 20, sha),
                    new Member("deleted.list", 7, sha)))
            .toJson(),
        new BundleManifest(
                Kind.TEMPLATE,
                "base_tpl",
                "EMPTY",
                Format.ZFS,
                Compression.NONE,
                Instant.parse("2026-01-01T00:00:00.123Z"),
                "warder:2026-01-01",
                Optional.empty(),
                CatalogJson.nodes().objectNode(),
                List.of(new Member("files.tar", 0, sha), new Member("root.zfs", 5, sha)))
            .toJson());
  }

  @Provide
  Arbitrary<BundleManifest> manifests() {
    Arbitrary<String> name =
        Arbitraries.strings()
            .withChars("abZ09_-")
            .ofMinLength(1)
            .ofMaxLength(20)
            .filter(s -> Character.isLetterOrDigit(s.charAt(0)));
    Arbitrary<String> snapshot =
        Arbitraries.strings()
            .withChars("aZ9_.:-")
            .ofMinLength(1)
            .ofMaxLength(20)
            .filter(s -> Character.isLetterOrDigit(s.charAt(0)));
    Arbitrary<ObjectNode> config =
        Arbitraries.maps(
                Arbitraries.strings().alpha().ofMaxLength(10),
                Arbitraries.strings()
                    .ofMaxLength(10)
                    .map(
                        s ->
                            s.codePoints()
                                .filter(c -> !Character.isSurrogate((char) c))
                                .collect(
                                    StringBuilder::new,
                                    StringBuilder::appendCodePoint,
                                    StringBuilder::append)
                                .toString()))
            .ofMaxSize(4)
            .map(BundleManifestPropertyTest::config);
    return Combinators.combine(
            Arbitraries.of(Kind.values()),
            name,
            name,
            Arbitraries.of(Format.values()),
            Arbitraries.of(Compression.values()),
            Arbitraries.longs().between(0, 253_402_300_799L),
            snapshot,
            snapshot.optional())
        .flatAs(
            (kind, n, release, format, compression, seconds, snap, base) ->
                Combinators.combine(
                        config,
                        Arbitraries.longs()
                            .between(0, BundleManifest.MAX_LENGTH)
                            .list()
                            .ofSize(
                                BundleManifest.expectedMembers(
                                        format, compression, base.isPresent())
                                    .size()),
                        Arbitraries.strings().withChars("0123456789abcdef").ofLength(64))
                    .as(
                        (c, lengths, sha) -> {
                          List<String> names =
                              BundleManifest.expectedMembers(format, compression, base.isPresent());
                          List<Member> members = new ArrayList<>();
                          for (int i = 0; i < names.size(); i++) {
                            members.add(new Member(names.get(i), lengths.get(i), sha));
                          }
                          return new BundleManifest(
                              kind,
                              n,
                              release,
                              format,
                              compression,
                              Instant.ofEpochSecond(seconds),
                              snap,
                              base,
                              c,
                              members);
                        }));
  }

  private static ObjectNode config(Map<String, String> values) {
    ObjectNode out = CatalogJson.nodes().objectNode();
    values.forEach(out::put);
    return out;
  }
}
