package org.warder.signing;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
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
   * The reader's settings. Field names are not interned: a targets role names each of its (maybe
   * tens of thousands of) target paths once, and interning them would fill the JVM's string table
   * for nothing.
   */
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
          .build();

  private StrictJson() {}

  /**
   * Parses UTF-8 bytes into a tree, refusing anything a signed document must not contain. The tree
   * is built from the streaming parser's tokens, not by an object mapper: a mapper's set-up costs a
   * short command (a TUF refresh) about 40 ms of its start, the parse itself a few.
   */
  public static JsonNode parse(byte[] utf8) throws MalformedJsonException {
    try (JsonParser parser = FACTORY.createParser(utf8)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new MalformedJsonException("expected one JSON document, found empty input");
      }
      JsonNode node = read(parser, first);
      JsonToken trailing = parser.nextToken();
      if (trailing != null) {
        throw new MalformedJsonException(
            "expected one strict JSON document, found invalid JSON"
                + where(parser.currentTokenLocation())
                + ": Trailing token (of type "
                + trailing
                + ") found after the document's end");
      }
      return node;
    } catch (JacksonException e) {
      throw new MalformedJsonException(
          "expected one strict JSON document, found invalid JSON"
              + where(e.getLocation())
              + ": "
              + e.getOriginalMessage(),
          e);
    } catch (RefusedValue e) {
      throw new MalformedJsonException(e.message("$"));
    } catch (java.io.IOException e) {
      throw new MalformedJsonException("cannot read JSON: " + e.getMessage(), e);
    }
  }

  private static String where(JsonLocation at) {
    return at == null
        ? ""
        : String.format(Locale.ROOT, " at line %d column %d", at.getLineNr(), at.getColumnNr());
  }

  /**
   * The value that starts with {@code token}, read to its end. Refuses floating-point numbers and
   * unpaired surrogates; the path to a refused value is put together only for the refusal, while it
   * travels up: documents of many thousand values build no paths. The depth is bounded by the
   * parser's nesting limit.
   */
  private static JsonNode read(JsonParser parser, JsonToken token)
      throws java.io.IOException, RefusedValue {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    return switch (token) {
      case START_OBJECT -> readObject(parser);
      case START_ARRAY -> readArray(parser);
      case VALUE_STRING -> {
        String text = parser.getText();
        rejectUnpairedSurrogate(text, "a string");
        yield nodes.textNode(text);
      }
      case VALUE_NUMBER_INT -> nodes.numberNode(parser.getBigIntegerValue());
      case VALUE_NUMBER_FLOAT ->
          throw new RefusedValue(
              "expected only integers, found the floating-point number " + parser.getText());
      case VALUE_TRUE -> nodes.booleanNode(true);
      case VALUE_FALSE -> nodes.booleanNode(false);
      case VALUE_NULL -> nodes.nullNode();
      default -> throw new java.io.IOException("unexpected JSON token " + token);
    };
  }

  private static ObjectNode readObject(JsonParser parser) throws java.io.IOException, RefusedValue {
    ObjectNode object = JsonNodeFactory.instance.objectNode();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      rejectUnpairedSurrogate(name, "a key");
      try {
        object.set(name, read(parser, parser.nextToken()));
      } catch (RefusedValue r) {
        throw r.under("." + name);
      }
    }
    return object;
  }

  private static ArrayNode readArray(JsonParser parser) throws java.io.IOException, RefusedValue {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (JsonToken next = parser.nextToken();
        next != JsonToken.END_ARRAY;
        next = parser.nextToken()) {
      try {
        array.add(read(parser, next));
      } catch (RefusedValue r) {
        throw r.under("[" + array.size() + "]");
      }
    }
    return array;
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
    return Mapper.MAPPER;
  }

  /** The mapper, made on first use: reading needs none. */
  private static final class Mapper {
    static final JsonMapper MAPPER =
        JsonMapper.builder(FACTORY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();
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
