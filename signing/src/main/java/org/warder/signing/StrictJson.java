package org.warder.signing;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The strict JSON reader for signed documents: rejects duplicate keys, trailing tokens,
 * floating-point numbers, unpaired surrogates (escapes like {@code \ud800} that are no Unicode
 * text, which canonical JSON cannot encode) and non-standard syntax, so that what is verified is
 * exactly what was read. Integers of any size are kept exactly. Thread-safe.
 */
public final class StrictJson {
  /** Deeper documents are refused; no TUF document nests anywhere near this. */
  public static final int MAX_DEPTH = 64;

  /**
   * Field names are not interned: a targets role names each of its (maybe tens of thousands of)
   * target paths once, and interning them would fill the JVM's string table for nothing.
   */
  private static final JsonMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .build();

  private StrictJson() {}

  /** Parses UTF-8 bytes into a tree, refusing anything a signed document must not contain. */
  public static JsonNode parse(byte[] utf8) throws MalformedJsonException {
    JsonNode node;
    try {
      node = MAPPER.readTree(utf8);
    } catch (JacksonException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null
              ? ""
              : String.format(
                  Locale.ROOT, " at line %d column %d", at.getLineNr(), at.getColumnNr());
      throw new MalformedJsonException(
          "expected one strict JSON document, found invalid JSON"
              + where
              + ": "
              + e.getOriginalMessage(),
          e);
    } catch (java.io.IOException e) {
      throw new MalformedJsonException("cannot read JSON: " + e.getMessage(), e);
    }
    if (node == null || node.isMissingNode()) {
      throw new MalformedJsonException("expected one JSON document, found empty input");
    }
    rejectNonCanonical(node, "$");
    return node;
  }

  /** Parses a JSON object; anything else (array, scalar) is refused. */
  public static ObjectNode parseObject(byte[] utf8) throws MalformedJsonException {
    JsonNode node = parse(utf8);
    if (!node.isObject()) {
      throw new MalformedJsonException(
          "expected a JSON object, found " + node.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    return (ObjectNode) node;
  }

  /** Convenience for tests and literals. */
  public static JsonNode parse(String json) throws MalformedJsonException {
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The shared mapper, configured strictly, for writing and for node construction. */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  /**
   * Refuses floating-point numbers and unpaired surrogates. The path to the value is put together
   * only for a refusal, while it travels up: documents of many thousand values build no paths.
   */
  private static void rejectNonCanonical(JsonNode node, String path) throws MalformedJsonException {
    try {
      rejectNonCanonical(node);
    } catch (RefusedValue e) {
      throw new MalformedJsonException(e.message(path));
    }
  }

  private static void rejectNonCanonical(JsonNode node) throws RefusedValue {
    if (node.isNumber() && !node.isIntegralNumber()) {
      throw new RefusedValue(
          "expected only integers, found the floating-point number " + node.asText());
    }
    if (node.isTextual()) {
      rejectUnpairedSurrogate(node.textValue(), "a string");
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        rejectUnpairedSurrogate(e.getKey(), "a key");
        try {
          rejectNonCanonical(e.getValue());
        } catch (RefusedValue r) {
          throw r.under("." + e.getKey());
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        try {
          rejectNonCanonical(node.get(i));
        } catch (RefusedValue r) {
          throw r.under("[" + i + "]");
        }
      }
    }
  }

  private static void rejectUnpairedSurrogate(String text, String where) throws RefusedValue {
    OptionalInt at = unpairedSurrogate(text);
    if (at.isPresent()) {
      throw new RefusedValue(
          String.format(
              Locale.ROOT,
              "expected Unicode text, found the unpaired surrogate \\u%04x in %s",
              (int) text.charAt(at.getAsInt()),
              where));
    }
  }

  /**
   * The index of the first unpaired surrogate in {@code text}, if it has one: JSON escapes can
   * spell such a string, but it is no Unicode text and has no UTF-8 form.
   */
  public static OptionalInt unpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }
}
