package org.warder.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.warder.signing.testing.BoundedParse;
import org.warder.signing.testing.Mutations;

/**
 * Properties of the strict reader and the canonical writer on arbitrary and mutated input: the
 * reader returns a tree or a {@link MalformedJsonException}, and a tree it returns can always be
 * written canonically (signatures are checked over that form); the file form of any JSON tree
 * ({@link CanonicalJson#encodeAsJson}) reads back as the same tree and writes again to the same
 * bytes.
 */
class StrictJsonPropertyTest {
  private static final List<byte[]> SEEDS =
      List.of(
              "{\"signed\":{\"_type\":\"root\",\"version\":1,\"keys\":{\"ab\":{\"keyval\":{\"public\":\"00\"}}}},\"signatures\":[]}",
              "[1,-2,true,false,null,\"x\\\"y\\\\z\",{\"\":[]}]",
              "{\"a\":{\"b\":[{\"c\":\"\\u00e9\\ud83d\\ude00\"}]},\"n\":123456789012345678901234567890}")
          .stream()
          .map(s -> s.getBytes(StandardCharsets.UTF_8))
          .toList();

  @Property(tries = 200)
  void testParse_arbitraryBytes_treeOrRefusal(@ForAll @Size(max = 200) byte[] bytes) {
    BoundedParse.parsedOrRefused(MalformedJsonException.class, () -> StrictJson.parse(bytes))
        .ifPresent(StrictJsonPropertyTest::assertCanonicallyWritable);
  }

  @Property(tries = 200)
  void testParse_mutatedDocuments_treeOrRefusal(@ForAll("mutated") byte[] bytes) {
    BoundedParse.parsedOrRefused(MalformedJsonException.class, () -> StrictJson.parse(bytes))
        .ifPresent(StrictJsonPropertyTest::assertCanonicallyWritable);
  }

  @Property(tries = 150)
  void testEncodeAsJson_readsBackAsTheSameTreeAndCanonicalBytes(@ForAll("trees") JsonNode tree)
      throws Exception {
    byte[] file = CanonicalJson.encodeAsJson(tree);
    JsonNode read = StrictJson.parse(file);
    assertThat(read).isEqualTo(tree);
    assertThat(CanonicalJson.encode(read)).isEqualTo(CanonicalJson.encode(tree));
    assertThat(CanonicalJson.encodeAsJson(read)).isEqualTo(file);
  }

  /**
   * Canonical JSON writes control characters raw, which is no JSON: only trees without them read
   * back.
   */
  @Property(tries = 100)
  void testEncode_withoutControlCharactersIsValidJsonAndReadsBack(@ForAll("trees") JsonNode tree)
      throws Exception {
    byte[] canonical = CanonicalJson.encode(tree);
    boolean controls = false;
    for (byte b : canonical) {
      controls |= b >= 0 && b < 0x20;
    }
    if (controls) {
      assertThat(
              BoundedParse.parsedOrRefused(
                  MalformedJsonException.class, () -> StrictJson.parse(canonical)))
          .isEmpty();
    } else {
      assertThat(CanonicalJson.encodeAsJson(tree)).isEqualTo(canonical);
      assertThat(StrictJson.parse(canonical)).isEqualTo(tree);
    }
  }

  private static void assertCanonicallyWritable(JsonNode tree) {
    Optional<byte[]> canonical =
        BoundedParse.parsedOrRefused(
            MalformedJsonException.class, () -> CanonicalJson.encode(tree));
    assertThat(canonical)
        .as("canonical form of a tree the strict reader accepted: %s", tree)
        .isPresent();
  }

  @Provide
  Arbitrary<byte[]> mutated() {
    return Arbitraries.oneOf(Mutations.ofBytes(SEEDS), Mutations.ofJson(SEEDS, List.of()));
  }

  @Provide
  Arbitrary<JsonNode> trees() {
    return Arbitraries.lazyOf(
        () ->
            Arbitraries.strings()
                .map(s -> (JsonNode) JsonNodeFactory.instance.textNode(validUnicode(s))),
        () ->
            Arbitraries.bigIntegers()
                .between(BigInteger.TWO.pow(80).negate(), BigInteger.TWO.pow(80))
                .map(n -> (JsonNode) JsonNodeFactory.instance.numberNode(n)),
        () ->
            Arbitraries.of(true, false)
                .map(b -> (JsonNode) JsonNodeFactory.instance.booleanNode(b)),
        () -> Arbitraries.just((JsonNode) JsonNodeFactory.instance.nullNode()),
        () -> trees().list().ofMaxSize(4).map(StrictJsonPropertyTest::array),
        () ->
            Arbitraries.maps(
                    Arbitraries.strings().ofMaxLength(8).map(StrictJsonPropertyTest::validUnicode),
                    trees())
                .ofMaxSize(4)
                .map(StrictJsonPropertyTest::object));
  }

  /**
   * {@code s} with unpaired surrogates dropped: canonical JSON is defined for Unicode text only.
   */
  private static String validUnicode(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints()
        .filter(c -> !Character.isSurrogate((char) c) || c > 0xffff)
        .forEach(out::appendCodePoint);
    return out.toString();
  }

  private static JsonNode array(List<JsonNode> items) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    items.forEach(out::add);
    return out;
  }

  private static JsonNode object(Map<String, JsonNode> fields) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    fields.forEach(out::set);
    return out;
  }
}
