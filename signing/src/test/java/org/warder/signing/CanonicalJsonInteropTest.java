package org.warder.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.warder.signing.testing.ExternalTools;

/**
 * {@link CanonicalJson} against securesystemslib's {@code encode_canonical}, the reference that
 * python-tuf signs with. Every document of the corpus is parsed by {@link StrictJson}, encoded, and
 * compared byte for byte with {@code encode_canonical(json.loads(doc)).encode("utf-8")} from
 * Debian's python3-securesystemslib; Python runs once for the whole corpus.
 */
class CanonicalJsonInteropTest {
  /** Documents both implementations encode. Names are for the test report only. */
  static final Map<String, String> CORPUS = new LinkedHashMap<>();

  /** Documents both implementations refuse to encode. */
  static final Map<String, String> REFUSED = new LinkedHashMap<>();

  static {
    // scalars and empty containers
    CORPUS.put("empty object", "{}");
    CORPUS.put("empty array", "[]");
    CORPUS.put("empty string", "\"\"");
    CORPUS.put("true", "true");
    CORPUS.put("false", "false");
    CORPUS.put("null", "null");
    CORPUS.put("zero", "0");
    CORPUS.put("minus zero", "-0");
    CORPUS.put("minus zero in object", "{\"z\":-0,\"n\":-1}");
    CORPUS.put("negative numbers", "[-1,-42,-9007199254740993]");
    // integers beyond every fixed-width type
    CORPUS.put("2^63-1 and 2^63", "[9223372036854775807,9223372036854775808]");
    CORPUS.put("-2^63 and -2^63-1", "[-9223372036854775808,-9223372036854775809]");
    CORPUS.put("2^64 and 2^128", "[18446744073709551616,340282366920938463463374607431768211456]");
    CORPUS.put(
        "2^200 negative",
        "{\"n\":-" + BigInteger.TWO.pow(200) + ",\"p\":" + BigInteger.TWO.pow(200) + "}");
    CORPUS.put("300 digits", "[" + "9".repeat(300) + "]");
    // whitespace and ordering
    CORPUS.put(
        "pretty printed with all whitespace kinds",
        "\r\n{\n\t\"b\" :\t[ 1 ,\r\n 2 ] ,\n  \"a\"\t:\n{ } }\n\t ");
    CORPUS.put("keys reversed", "{\"c\":3,\"b\":2,\"a\":1}");
    CORPUS.put("keys differing only by case", "{\"b\":1,\"B\":2,\"a\":3,\"A\":4,\"_\":5,\"Z\":6}");
    CORPUS.put("numeric-looking keys sort as text", "{\"10\":1,\"9\":2,\"1\":3,\"-1\":4,\"01\":5}");
    CORPUS.put("prefix keys", "{\"ab\":1,\"a\":2,\"a\\u0000\":3,\"\":4,\"a \":5}");
    CORPUS.put("mixed array keeps order", "[null,true,false,0,-1,\"\",[],{},\"z\",\"a\"]");
    CORPUS.put(
        "nested objects sorted at every level",
        "{\"z\":{\"y\":{\"x\":[{\"b\":1,\"a\":{\"d\":[],\"c\":{}}}]}},\"a\":[[],[[]],{\"k\":null}]}");
    CORPUS.put("deep nesting within the limit", "[".repeat(40) + "{\"k\":1}" + "]".repeat(40));
    // escapes: only " and \ stay escaped, everything else becomes raw UTF-8
    CORPUS.put("quote and backslash", "[\"a\\\"b\",\"c\\\\d\",\"\\\\\\\"\",\"\\\\\\\\\"]");
    CORPUS.put("solidus escaped and raw", "[\"\\/\",\"/\",\"a\\/b</script>\"]");
    CORPUS.put("short escapes", "\"\\n\\t\\r\\b\\f\"");
    CORPUS.put(
        "control characters",
        "[\"\\u0000\",\"\\u0001\\u001f\",\"x\\u0000y\",\"\\u007f\",\"\\u0085\"]");
    CORPUS.put("escaped ASCII", "\"\\u0041\\u0062\\u0022\\u005c\"");
    CORPUS.put(
        "escape in a key", "{\"k\\\"ey\":1,\"back\\\\slash\":2,\"tab\\tkey\":3,\"nl\\nkey\":4}");
    // non-ASCII
    CORPUS.put("latin and CJK raw", "[\"\u00e9\u00fc\u00df\",\"\u65e5\u672c\u8a9e\",\"\u0416\"]");
    CORPUS.put("latin and CJK escaped", "[\"\\u00e9\\u00fc\\u00df\",\"\\u65e5\\u672c\\u8a9e\"]");
    CORPUS.put("emoji raw", "\"smile \uD83D\uDE00 flag \uD83C\uDDEB\uD83C\uDDF7\"");
    CORPUS.put("emoji as escaped surrogate pair", "\"\\ud83d\\ude00\\uD83D\\uDC4D\"");
    CORPUS.put("maximum code point", "\"\\udbff\\udfff \uDBFF\uDFFF \uDB80\uDC00\"");
    CORPUS.put(
        "keys that sort differently by UTF-16 and by code point",
        "{\"\uFFFF\":1,\"\uE000\":2,\"\uD83D\uDE00\":3,\"\uD7FF\":4,\"\uFF61\":5,\"\uD800\uDC00\":6,"
            + "\"\uFFFD\":7,\"\uFEFF\":8,\"z\":9}");
    CORPUS.put(
        "same, with escaped keys and a shared prefix",
        "{\"a\\uffff\":1,\"a\\ud83d\\ude00\":2,\"a\\ue000\":3,\"a\":4,\"a\\ud7ff\":5}");
    CORPUS.put(
        "precomposed and decomposed are different keys",
        "{\"\u00e9\":1,\"e\u0301\":2,\"\u212b\":3,\"\u00c5\":4}");
    CORPUS.put(
        "line and paragraph separators, BOM, replacement character",
        "[\"\u2028\",\"\\u2029\",\"\\ufeff\",\"\uFFFD\",\"\\uffff\"]");
    CORPUS.put(
        "unicode keys",
        "{\"\u043a\u043b\u044e\u0447\":\"\u0437\u043d\u0430\u0447\",\"\u9375\":[\"\u5024\"]}");
    // TUF-like metadata
    CORPUS.put(
        "TUF root",
        "{\"signatures\":[{\"keyid\":\"4e777de0d275f9d28588dd9a1606cc748e548f9e22b6795b7cb3f63f98035fcb\","
            + "\"sig\":\"a337d6375fedd2eabfcd6c2ef6c8a9c3bb85dc5a857715f6a6bd41123e7670c4972d8548bcd7248154f3d864bf25f1823af59d74c459f41ea09a02db057ca1245612\"}],"
            + "\"signed\":{\"_type\":\"root\",\"spec_version\":\"1.0.31\",\"version\":1,"
            + "\"expires\":\"2030-01-01T00:00:00Z\",\"consistent_snapshot\":true,"
            + "\"keys\":{\"4e777de0d275f9d28588dd9a1606cc748e548f9e22b6795b7cb3f63f98035fcb\":"
            + "{\"keytype\":\"ed25519\",\"scheme\":\"ed25519\",\"keyval\":{\"public\":"
            + "\"72378e5bc588793e58f81c8533da64a2e8f1565c1fcc7f253496394ffc52542c\"}}},"
            + "\"roles\":{\"timestamp\":{\"keyids\":[\"4e77\"],\"threshold\":1},"
            + "\"snapshot\":{\"keyids\":[\"4e77\"],\"threshold\":1},"
            + "\"targets\":{\"keyids\":[\"4e77\"],\"threshold\":1},"
            + "\"root\":{\"keyids\":[\"4e77\"],\"threshold\":1}}}}");
    CORPUS.put(
        "TUF targets with custom fields and delegations",
        "{\"signed\":{\"_type\":\"targets\",\"version\":18446744073709551617,\"spec_version\":\"1.0\","
            + "\"expires\":\"2030-01-01T00:00:00Z\",\"targets\":{\"plugins/caf\u00e9 \uD83D\uDE00.json\":"
            + "{\"length\":123,\"hashes\":{\"sha512\":\"ab\",\"sha256\":\"cd\"},"
            + "\"custom\":{\"\u00fcber\":\"\\\"quoted\\\" \\\\ path\",\"release\":\"14.2-RELEASE\",\"n\":-0}}},"
            + "\"delegations\":{\"keys\":{},\"roles\":[{\"name\":\"team/*\",\"keyids\":[],"
            + "\"threshold\":1,\"terminating\":false,\"paths\":[\"team/*\",\"*.txt\"]}]},"
            + "\"x-unknown\":{\"Z\":null,\"a\":[true,false]}},\"signatures\":[]}");

    REFUSED.put("float", "1.0");
    REFUSED.put("exponent", "{\"a\":[1e3]}");
    REFUSED.put("negative zero float", "-0.0");
    REFUSED.put("lone high surrogate", "\"\\ud800\"");
    REFUSED.put("lone low surrogate in a key", "{\"\\udfff\":1}");
    REFUSED.put("surrogates in the wrong order", "[\"\\ude00\\ud83d\"]");
  }

  /** securesystemslib's result for each document: "OK base64" or "ERR exception". */
  private static Map<String, String> reference;

  private static final String SCRIPT =
      """
      import base64, json, sys
      from securesystemslib.formats import encode_canonical
      for line in sys.stdin.buffer.read().splitlines():
          try:
              out = encode_canonical(json.loads(base64.b64decode(line))).encode('utf-8')
              print('OK ' + base64.b64encode(out).decode('ascii'))
          except Exception as e:
              print('ERR ' + type(e).__name__ + ': ' + str(e).replace('\\n', ' '))
      """;

  /** Runs Python once over the corpus and the refused documents. */
  private static synchronized Map<String, String> reference() {
    if (reference == null) {
      List<String> docs = new ArrayList<>(CORPUS.values());
      docs.addAll(REFUSED.values());
      StringBuilder in = new StringBuilder();
      for (String doc : docs) {
        in.append(Base64.getEncoder().encodeToString(doc.getBytes(StandardCharsets.UTF_8)))
            .append('\n');
      }
      String out =
          new String(
              ExternalTools.runPython(SCRIPT, in.toString().getBytes(StandardCharsets.US_ASCII)),
              StandardCharsets.US_ASCII);
      List<String> lines = out.lines().toList();
      assertThat(lines).as("one securesystemslib result per document").hasSize(docs.size());
      Map<String, String> results = new HashMap<>();
      for (int i = 0; i < docs.size(); i++) {
        results.put(docs.get(i), lines.get(i));
      }
      reference = results;
    }
    return reference;
  }

  static Stream<Arguments> corpus() {
    return CORPUS.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  static Stream<Arguments> refused() {
    return REFUSED.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  private static byte[] javaCanonical(String doc) throws MalformedJsonException {
    return CanonicalJson.encode(StrictJson.parse(doc.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void testCorpus_isLargeEnough() {
    assertThat(CORPUS).hasSizeGreaterThanOrEqualTo(30);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void testEncode_matchesSecuresystemslibByteForByte(String name, String doc) throws Exception {
    byte[] java = javaCanonical(doc);
    String python = reference().get(doc);
    assertThat(python).as("securesystemslib result for %s", name).startsWith("OK ");
    byte[] expected = Base64.getDecoder().decode(python.substring(3));
    assertThat(java)
        .as(
            "%s: Java %s%n vs securesystemslib %s",
            name,
            new String(java, StandardCharsets.UTF_8),
            new String(expected, StandardCharsets.UTF_8))
        .isEqualTo(expected);
  }

  /**
   * Re-encoding canonical bytes changes nothing. Canonical JSON writes control characters raw,
   * which makes it invalid JSON, so documents with control characters are left out.
   */
  @Test
  void testEncode_isIdempotent() throws Exception {
    int checked = 0;
    for (Map.Entry<String, String> e : CORPUS.entrySet()) {
      byte[] once = javaCanonical(e.getValue());
      boolean hasControl = false;
      for (byte b : once) {
        hasControl |= b >= 0 && b < 0x20;
      }
      if (!hasControl) {
        assertThat(CanonicalJson.encode(StrictJson.parse(once))).as(e.getKey()).isEqualTo(once);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(CORPUS.size() - 6);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void testEncode_refusesWhatSecuresystemslibRefuses(String name, String doc) {
    assertThat(reference().get(doc)).as("securesystemslib result for %s", name).startsWith("ERR ");
    assertThatThrownBy(() -> javaCanonical(doc))
        .as(name)
        .isInstanceOf(MalformedJsonException.class)
        .hasMessageContaining("found");
  }

  // Known answers that need no Python, so that a machine without it still checks the essentials.

  @Test
  void testEncode_knownAnswers() throws Exception {
    Map<String, String> known = new LinkedHashMap<>();
    known.put(" { \"b\" : [ 1 , -0 ] , \"a\" : \"x\" } ", "{\"a\":\"x\",\"b\":[1,0]}");
    known.put("\"\\\"\\\\\\/\\n\\u0000\"", "\"\\\"\\\\/\n\u0000\"");
    known.put("\"\\u00e9\\ud83d\\ude00\"", "\"\u00e9\uD83D\uDE00\"");
    known.put(
        "{\"\\uffff\":1,\"\\ud83d\\ude00\":2,\"\\ue000\":3}",
        "{\"\uE000\":3,\"\uFFFF\":1,\"\uD83D\uDE00\":2}");
    known.put("{\"a\":1,\"B\":2,\"\":3}", "{\"\":3,\"B\":2,\"a\":1}");
    known.put(
        "[18446744073709551616,-18446744073709551617]",
        "[18446744073709551616,-18446744073709551617]");
    for (Map.Entry<String, String> e : known.entrySet()) {
      assertThat(new String(javaCanonical(e.getKey()), StandardCharsets.UTF_8))
          .as(e.getKey())
          .isEqualTo(e.getValue());
    }
  }

  @Test
  void testEncode_writesNonAsciiAsRawUtf8() throws Exception {
    assertThat(javaCanonical("\"\\u00e9\\ud83d\\ude00\\u0000\""))
        .containsExactly(0x22, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80, 0x00, 0x22);
  }

  @Test
  void testEncode_integerNodeTypesAgree() throws Exception {
    JsonNodeFactory f = JsonNodeFactory.instance;
    assertThat(CanonicalJson.encode(f.numberNode(7)))
        .isEqualTo("7".getBytes(StandardCharsets.US_ASCII));
    assertThat(CanonicalJson.encode(f.numberNode(Long.MIN_VALUE)))
        .isEqualTo(Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII));
    assertThat(CanonicalJson.encode(f.numberNode((short) -3)))
        .isEqualTo("-3".getBytes(StandardCharsets.US_ASCII));
    assertThat(CanonicalJson.encode(f.numberNode(BigInteger.TEN.pow(40))))
        .isEqualTo(("1" + "0".repeat(40)).getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void testEncode_refusesNonIntegerNodesBuiltInCode() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    List<JsonNode> bad =
        List.of(
            f.numberNode(1.0d),
            f.numberNode(0.5f),
            f.numberNode(new BigDecimal("1")),
            f.binaryNode(new byte[] {1, 2}),
            f.pojoNode(List.of(1, 2)));
    for (JsonNode node : bad) {
      ObjectNode holder = f.objectNode();
      holder.putArray("list").add(node);
      assertThatThrownBy(() -> CanonicalJson.encode(holder))
          .as(node.getNodeType().name() + " " + node.getClass().getSimpleName())
          .isInstanceOf(MalformedJsonException.class)
          .hasMessageContaining("$.list[0]");
    }
  }

  @Test
  void testEncode_refusesUnpairedSurrogateBuiltInCode() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("ok", "x\uD83D");
    assertThatThrownBy(() -> CanonicalJson.encode(node))
        .isInstanceOf(MalformedJsonException.class)
        .hasMessageContaining("unpaired surrogate")
        .hasMessageContaining("$.ok");
  }

  @Test
  void testCodePointOrder_differsFromUtf16OrderAboveTheSurrogates() {
    String privateUse = "\uE000";
    String emoji = "\uD83D\uDE00";
    assertThat(privateUse.compareTo(emoji)).as("String.compareTo is UTF-16 order").isPositive();
    assertThat(CanonicalJson.CODE_POINT_ORDER.compare(privateUse, emoji)).isNegative();
    assertThat(CanonicalJson.CODE_POINT_ORDER.compare("a", "a\u0000")).isNegative();
    assertThat(CanonicalJson.CODE_POINT_ORDER.compare("", "")).isZero();
    assertThat(CanonicalJson.CODE_POINT_ORDER.compare("B", "a")).isNegative();
  }
}
