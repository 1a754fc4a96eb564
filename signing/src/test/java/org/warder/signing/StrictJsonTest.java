package org.warder.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The strict reader: everything a signed document must not contain is refused with a {@link
 * MalformedJsonException} saying what was expected and what was found; valid documents, including
 * integers of any size, are read exactly.
 */
class StrictJsonTest {
  private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(byte[] input) {
    return assertThatThrownBy(() -> StrictJson.parse(input))
        .as("input %s", new String(input, StandardCharsets.UTF_8))
        .isInstanceOf(MalformedJsonException.class)
        .hasMessageStartingWith("expected ")
        .hasMessageContaining(", found ");
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String input) {
    return assertRefused(input.getBytes(StandardCharsets.UTF_8));
  }

  // duplicate keys

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"a\":1,\"a\":2}",
        "{\"a\":1,\"b\":2,\"a\":1}",
        "{\"x\":{\"a\":1,\"a\":2}}",
        "{\"x\":[{\"y\":{\"a\":null,\"a\":null}}]}",
        "[1,{\"a\":{},\"a\":[]}]",
        "{\"a\":1,\"\\u0061\":2}",
      })
  void testParse_refusesDuplicateKeys(String input) {
    assertRefused(input)
        .hasMessageContaining("Duplicate field 'a'")
        .hasMessageContaining("at line 1 column");
  }

  @Test
  void testParse_refusesDuplicateKeyAtItsPosition() {
    assertRefused("{\n  \"signed\": {\n    \"version\": 1,\n    \"version\": 2\n  }\n}")
        .hasMessageContaining("Duplicate field 'version'")
        .hasMessageContaining("at line 4 column");
  }

  @Test
  void testParse_acceptsSameKeyInDifferentObjectsAndKeysDifferingByCaseOrForm() throws Exception {
    JsonNode node =
        StrictJson.parse(
            "{\"a\":{\"a\":1},\"b\":[{\"a\":1},{\"a\":2}],\"A\":3,\"\u00e9\":4,\"e\u0301\":5}");
    assertThat(node.size()).isEqualTo(5);
    assertThat(node.get("b").get(1).get("a").intValue()).isEqualTo(2);
    assertThat(node.get("A").intValue()).isEqualTo(3);
    assertThat(node.get("e\u0301").intValue()).isEqualTo(5);
  }

  // trailing tokens

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{} {}",
        "{}{}",
        "[] []",
        "{}]",
        "{}}",
        "{} x",
        "{},",
        "1 2",
        "\"a\" \"b\"",
        "null null",
        "{\"a\":1} // comment",
        "{}\u0000",
      })
  void testParse_refusesTrailingTokens(String input) {
    assertRefused(input).hasMessageContaining("found invalid JSON at line 1 column");
  }

  @Test
  void testParse_refusesTrailingTokenNamingIt() {
    assertRefused("{\"a\":1}\n{\"a\":2}")
        .hasMessageContaining("Trailing token")
        .hasMessageContaining("line 2");
  }

  @Test
  void testParse_acceptsTrailingWhitespace() throws Exception {
    assertThat(StrictJson.parse(" \t\r\n{\"a\":1} \t\r\n").get("a").intValue()).isEqualTo(1);
  }

  // numbers

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.0",
        "0.5",
        "-0.0",
        "1e3",
        "1E3",
        "1e-3",
        "1E+2",
        "-1.5e10",
        "1e400",
        "123456789.000000001"
      })
  void testParse_refusesFloatsAtTopLevel(String input) {
    assertRefused(input)
        .hasMessageContaining("expected only integers, found the floating-point number")
        .hasMessageEndingWith(" at $");
  }

  static Stream<Arguments> nestedRefusals() {
    String floating = "expected only integers, found the floating-point number";
    String surrogate = "expected Unicode text, found the unpaired surrogate \\u";
    return Stream.of(
        Arguments.of("{\"a\":1.0}", floating, "$.a"),
        Arguments.of("[1,2,3e0]", floating, "$[2]"),
        Arguments.of(
            "{\"signed\":{\"targets\":{\"f\":{\"length\":1e3}}}}",
            floating,
            "$.signed.targets.f.length"),
        Arguments.of("{\"a\":[{\"b\":[0,{\"c\":-2.5}]}]}", floating, "$.a[0].b[1].c"),
        Arguments.of("\"\\ud800\"", surrogate, "$"),
        Arguments.of("[\"a\",\"a\\udc00b\"]", surrogate, "$[1]"),
        Arguments.of("{\"k\":{\"x\":\"\\ude00\\ud83d\"}}", surrogate, "$.k.x"),
        Arguments.of("{\"a\":[{\"b\":[0,{\"c\":\"\\udbff\"}]}]}", surrogate, "$.a[0].b[1].c"));
  }

  /** The path is put together only for a refusal, on the way up: it must still be the right one. */
  @ParameterizedTest
  @MethodSource("nestedRefusals")
  void testParse_refusesAnywhereNamingThePath(String input, String problem, String path) {
    assertRefused(input).hasMessageContaining(problem).hasMessageEndingWith(" at " + path);
  }

  @ParameterizedTest
  @ValueSource(strings = {"NaN", "[NaN]", "Infinity", "-Infinity", "{\"a\":+Infinity}", "nan"})
  void testParse_refusesNonNumericNumbers(String input) {
    assertRefused(input).hasMessageContaining("found invalid JSON");
  }

  @ParameterizedTest
  @ValueSource(strings = {"01", "-01", "00", "[007]", "{\"v\":0123}"})
  void testParse_refusesLeadingZeros(String input) {
    assertRefused(input).hasMessageContaining("Leading zeroes not allowed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"+1", ".5", "1.", "-", "--1", "0x10", "1_000", "[1e]", "[-]", "[1.e3]"})
  void testParse_refusesMalformedNumbers(String input) {
    assertRefused(input).hasMessageContaining("found invalid JSON at line 1 column");
  }

  @Test
  void testParse_acceptsBigIntegersExactly() throws Exception {
    BigInteger[] values = {
      BigInteger.ZERO,
      BigInteger.valueOf(Long.MAX_VALUE),
      BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE),
      BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE),
      BigInteger.TWO.pow(64),
      BigInteger.TWO.pow(256).negate(),
      BigInteger.TEN.pow(999),
    };
    for (BigInteger value : values) {
      JsonNode node = StrictJson.parse("{\"n\":[" + value + "]}").get("n").get(0);
      assertThat(node.isIntegralNumber()).as(value.toString()).isTrue();
      assertThat(node.bigIntegerValue()).isEqualTo(value);
      assertThat(CanonicalJson.encode(node))
          .isEqualTo(value.toString().getBytes(StandardCharsets.US_ASCII));
    }
  }

  @Test
  void testParse_readsMinusZeroAsIntegerZero() throws Exception {
    JsonNode node = StrictJson.parse("-0");
    assertThat(node.isIntegralNumber()).isTrue();
    assertThat(node.bigIntegerValue()).isEqualTo(BigInteger.ZERO);
  }

  @Test
  void testParse_refusesAbsurdlyLongNumber() {
    assertRefused("[" + "9".repeat(5000) + "]").hasMessageContaining("Number value length");
  }

  // non-standard syntax

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/* c */ {}",
        "{} /* c */",
        "// c\n{}",
        "{\"a\":1 // c\n}",
        "{\"a\":/* c */1}",
        "# c\n{}",
      })
  void testParse_refusesComments(String input) {
    assertRefused(input).hasMessageContaining("found invalid JSON");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{'a':1}",
        "{\"a\":'b'}",
        "['a']",
        "'a'",
        "{a:1}",
        "{\"a\":b}",
        "[True]",
        "[None]",
        "[undefined]"
      })
  void testParse_refusesSingleQuotesAndBareWords(String input) {
    assertRefused(input).hasMessageContaining("found invalid JSON at line 1 column");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1,]", "{\"a\":1,}", "[,1]", "[1,,2]", "{,}"})
  void testParse_refusesStrayCommas(String input) {
    assertRefused(input).hasMessageContaining("found invalid JSON at line 1 column");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"a\nb\"", "\"a\tb\"", "{\"k\u001f\":1}", "\"\r\""})
  void testParse_refusesUnescapedControlCharactersInStrings(String input) {
    assertRefused(input).hasMessageContaining("CTRL-CHAR");
  }

  /**
   * Found by StrictJsonPropertyTest: strings with these read as Java strings that canonical JSON
   * cannot encode (a key's keyid could not be computed); Jackson itself refuses them in keys.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"\\ud800\"",
        "[\"a\\udc00b\"]",
        "{\"k\":{\"x\":\"\\ude00\\ud83d\"}}",
        "{\"\\udbff\":1}",
        "\"\\ud83d\\ud83d\\ude00\"",
      })
  void testParse_refusesUnpairedSurrogates(String input) {
    assertRefused(input)
        .hasMessageMatching("(?s).*(found the unpaired surrogate \\\\u|Broken surrogate pair).*");
  }

  @Test
  void testParse_acceptsSurrogatePairs() throws Exception {
    JsonNode node = StrictJson.parse("{\"\\ud83d\\ude00\":\"x\\ud83d\\ude00y\"}");
    assertThat(node.get("\ud83d\ude00").textValue()).isEqualTo("x\ud83d\ude00y");
    assertThat(CanonicalJson.encode(node))
        .isEqualTo("{\"😀\":\"x😀y\"}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void testParse_refusesRawNulInString() {
    // Jackson reports a raw NUL inside a string as the end of input; refused all the same
    assertRefused(new byte[] {'"', 'a', 0, 'b', '"'}).hasMessageContaining("found invalid JSON");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"\"\\x41\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\'\"", "\"\\U0041\"", "\"\\\""})
  void testParse_refusesInvalidEscapes(String input) {
    assertRefused(input).hasMessageContaining("found invalid JSON");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[", "{", "{\"a\":", "{\"a\"", "\"abc", "tru", "nul", "[1,", "{\"a\":1"})
  void testParse_refusesTruncatedDocuments(String input) {
    assertRefused(input).hasMessageContaining("found invalid JSON");
  }

  // nesting

  @Test
  void testParse_acceptsNestingUpToMaxDepth() throws Exception {
    int d = StrictJson.MAX_DEPTH;
    assertThat(StrictJson.parse("[".repeat(d) + "]".repeat(d))).isNotNull();
    JsonNode objects = StrictJson.parse("{\"a\":".repeat(d) + "1" + "}".repeat(d));
    assertThat(objects.at("/a".repeat(d)).intValue()).isEqualTo(1);
    assertThat(
            StrictJson.parse(
                "{\"a\":".repeat(d / 2)
                    + "[".repeat(d / 2)
                    + "]".repeat(d / 2)
                    + "}".repeat(d / 2)))
        .isNotNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 1000, 100_000})
  void testParse_refusesNestingBeyondMaxDepth(int extra) {
    int d = StrictJson.MAX_DEPTH + extra;
    assertRefused("[".repeat(d) + "]".repeat(d)).hasMessageContaining("nesting depth");
    assertRefused("{\"a\":".repeat(d) + "1" + "}".repeat(d)).hasMessageContaining("nesting depth");
    // unclosed: refused for its depth before the end of input is reached
    assertRefused("[".repeat(d)).hasMessageContaining("nesting depth");
  }

  // encoding

  static Stream<Arguments> invalidUtf8() {
    return Stream.of(
        Arguments.of("0xff in a string", new byte[] {'"', (byte) 0xff, '"'}),
        Arguments.of("0xfe outside a string", new byte[] {'[', (byte) 0xfe, ']'}),
        Arguments.of("lone continuation byte", new byte[] {'"', (byte) 0x80, '"'}),
        Arguments.of("truncated 2-byte sequence", new byte[] {'"', (byte) 0xc3, '"'}),
        Arguments.of("truncated 4-byte sequence", new byte[] {'"', (byte) 0xf0, (byte) 0x9f, '"'}),
        Arguments.of("overlong NUL (C0 80)", new byte[] {'"', (byte) 0xc0, (byte) 0x80, '"'}),
        Arguments.of(
            "overlong '/' (E0 80 AF)",
            new byte[] {'"', (byte) 0xe0, (byte) 0x80, (byte) 0xaf, '"'}),
        Arguments.of(
            "UTF-8 encoded surrogate (CESU-8)",
            new byte[] {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'}),
        Arguments.of(
            "code point above U+10FFFF",
            new byte[] {'"', (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}),
        Arguments.of(
            "0xf5 lead byte",
            new byte[] {'"', (byte) 0xf5, (byte) 0x80, (byte) 0x80, (byte) 0x80, '"'}),
        Arguments.of(
            "invalid byte in a key", new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidUtf8")
  void testParse_refusesInvalidUtf8(String name, byte[] input) {
    assertRefused(input).hasMessageContaining("UTF-8");
  }

  @Test
  void testParse_decodesEscapesAndRawUtf8Alike() throws Exception {
    JsonNode raw = StrictJson.parse("[\"\u00e9\uD83D\uDE00\u2028\"]");
    JsonNode escaped = StrictJson.parse("[\"\\u00e9\\ud83d\\ude00\\u2028\"]");
    assertThat(raw).isEqualTo(escaped);
    assertThat(raw.get(0).textValue()).isEqualTo("\u00e9\uD83D\uDE00\u2028");
    assertThat(StrictJson.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\"").textValue())
        .isEqualTo("\"\\/\b\f\n\r\t\u0000");
  }

  // empty input

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\n", " \t\r\n "})
  void testParse_refusesEmptyInput(String input) {
    assertRefused(input).hasMessage("expected one JSON document, found empty input");
  }

  // valid documents

  @Test
  void testParse_acceptsTufMetadata() throws Exception {
    String doc =
        "{\"signatures\":[{\"keyid\":\"ab\",\"sig\":\"cd\"}],\"signed\":{\"_type\":\"timestamp\","
            + "\"spec_version\":\"1.0.31\",\"version\":18446744073709551616,\"expires\":"
            + "\"2030-01-01T00:00:00Z\",\"meta\":{\"snapshot.json\":{\"version\":1,\"length\":0,"
            + "\"hashes\":{}}},\"x-custom\":[null,true,false,\"\",[],{}]}}";
    JsonNode node = StrictJson.parse(doc.getBytes(StandardCharsets.UTF_8));
    assertThat(node.at("/signed/version").bigIntegerValue()).isEqualTo(BigInteger.TWO.pow(64));
    assertThat(node.at("/signed/meta/snapshot.json/length").intValue()).isZero();
    assertThat(node.at("/signed/x-custom").size()).isEqualTo(6);
    assertThat(node.at("/signed/x-custom/0").isNull()).isTrue();
    assertThat(StrictJson.parseObject(doc.getBytes(StandardCharsets.UTF_8))).isEqualTo(node);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "true", "false", "null", "\"s\"", "[]", "{}"})
  void testParse_acceptsEveryScalarAndContainerAtTopLevel(String input) throws Exception {
    assertThat(StrictJson.parse(input).toString()).isEqualTo(input);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "1", "\"s\"", "null", "true"})
  void testParseObject_refusesNonObjects(String input) {
    assertThatThrownBy(() -> StrictJson.parseObject(input.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedJsonException.class)
        .hasMessageStartingWith("expected a JSON object, found ");
  }

  @Test
  void testParseObject_refusesWhatParseRefuses() {
    assertThatThrownBy(
            () -> StrictJson.parseObject("{\"a\":1,\"a\":1}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedJsonException.class)
        .hasMessageContaining("Duplicate field");
    assertThatThrownBy(() -> StrictJson.parseObject("{\"a\":1.5}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedJsonException.class)
        .hasMessageContaining("floating-point");
  }
}
