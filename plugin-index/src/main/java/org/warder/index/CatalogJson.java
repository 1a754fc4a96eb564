package org.warder.index;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.warder.signing.StrictJson;

/**
 * Reads and writes the catalogue's JSON documents (plugin manifests, INDEX). Reading is strict
 * about structure (duplicate keys, trailing content, depth and size are refused, as {@code
 * StrictJson} does for signed metadata) but, unlike {@code StrictJson}, accepts floating-point
 * numbers, because iocage's schema types {@code revision} as "number" and properties are free-form;
 * each field decides what a fraction means. Floats are kept exactly as {@link
 * java.math.BigDecimal}s. Writing is deterministic: four-space indentation, {@code "key": value},
 * {@code \n} line ends, a final newline. Thread-safe.
 */
final class CatalogJson {
  /** No catalogue document nests anywhere near this deep. */
  static final int MAX_DEPTH = 32;

  private static final Pattern SIMPLE_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build());
  }

  private static final ObjectWriter WRITER =
      MAPPER.writer(
          new DefaultPrettyPrinter(
                  Separators.createDefaultInstance()
                      .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                      .withObjectEmptySeparator("")
                      .withArrayEmptySeparator(""))
              .withObjectIndenter(new DefaultIndenter("    ", "\n"))
              .withArrayIndenter(new DefaultIndenter("    ", "\n")));

  private CatalogJson() {}

  /** Nodes for building documents to write. */
  static JsonNodeFactory nodes() {
    return MAPPER.getNodeFactory();
  }

  /** Reads one JSON object of at most {@code maxBytes} bytes. */
  static ObjectNode readObject(byte[] utf8, int maxBytes, String document) throws CatalogException {
    if (utf8.length > maxBytes) {
      throw new DocumentTooLargeException(document, maxBytes, utf8.length);
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(utf8);
    } catch (StreamConstraintsException e) {
      // Raised before the parser can say where; the message names the limit.
      throw new MalformedDocumentException(
          document
              + " $: expected a document within JSON limits (nested at most "
              + MAX_DEPTH
              + " deep), found: "
              + e.getOriginalMessage()
              + "; this is not a "
              + document,
          "$",
          e);
    } catch (StreamReadException e) {
      JsonParser parser = e.getProcessor();
      String path = parser == null ? "$" : path(parser.getParsingContext());
      String hint =
          e.getOriginalMessage().startsWith("Duplicate field")
              ? "a key given twice is ambiguous (iocage's Python reader keeps the last); keep one"
              : "the file is damaged or not a " + document;
      throw new MalformedDocumentException(
          document
              + " "
              + path
              + ": expected one well-formed JSON document, found invalid JSON"
              + where(e)
              + ": "
              + e.getOriginalMessage()
              + "; "
              + hint,
          path,
          e);
    } catch (JacksonException e) {
      throw new MalformedDocumentException(
          document
              + " $: expected one well-formed JSON document, found invalid JSON"
              + where(e)
              + ": "
              + e.getOriginalMessage(),
          "$",
          e);
    } catch (CharConversionException e) {
      // bytes the parser took for UTF-16 or UTF-32 that no such encoding can decode
      throw new MalformedDocumentException(
          document
              + " $: expected one JSON document in UTF-8, found bytes that are no text in any JSON"
              + " encoding ("
              + e.getMessage()
              + "); the file is damaged or not a "
              + document,
          "$",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading a byte array cannot fail", e);
    }
    if (node == null || node.isMissingNode()) {
      throw new MalformedDocumentException(
          document + " $: expected a JSON object, found empty input", "$", null);
    }
    if (!node.isObject()) {
      throw new MalformedDocumentException(
          document + " $: expected a JSON object, found " + Checks.describe(node), "$", null);
    }
    rejectUnpairedSurrogates(node, "$", document);
    return (ObjectNode) node;
  }

  /**
   * Refuses strings and keys holding an unpaired surrogate ({@code "\ud800"} is valid JSON syntax
   * but no Unicode text): written out as UTF-8 it would silently become {@code ?}.
   */
  private static void rejectUnpairedSurrogates(JsonNode node, String path, String document)
      throws MalformedDocumentException {
    if (node.isTextual()) {
      rejectUnpairedSurrogate(node.textValue(), path, document);
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        rejectUnpairedSurrogate(e.getKey(), path, document);
        rejectUnpairedSurrogates(e.getValue(), child(path, e.getKey()), document);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        rejectUnpairedSurrogates(node.get(i), index(path, i), document);
      }
    }
  }

  private static void rejectUnpairedSurrogate(String text, String path, String document)
      throws MalformedDocumentException {
    OptionalInt at = StrictJson.unpairedSurrogate(text);
    if (at.isPresent()) {
      throw new MalformedDocumentException(
          String.format(
              Locale.ROOT,
              "%s %s: expected Unicode text, found the unpaired surrogate \\u%04x;"
                  + " the file is damaged or not a %s",
              document,
              path,
              (int) text.charAt(at.getAsInt()),
              document),
          path,
          null);
    }
  }

  /**
   * {@code node} as reading its JSON text gives it (a {@code DoubleNode} becomes the {@code
   * DecimalNode} a parse yields), so that values built in code compare equal to parsed ones.
   *
   * @throws IllegalArgumentException if it is nested deeper than {@link #MAX_DEPTH}
   */
  static JsonNode canonical(JsonNode node) {
    try {
      return MAPPER.readTree(MAPPER.writeValueAsBytes(node));
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "expected a JSON value nested at most "
              + MAX_DEPTH
              + " deep, found: "
              + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading a byte array cannot fail", e);
    }
  }

  /** The document's deterministic UTF-8 text. */
  static byte[] write(ObjectNode document) {
    try {
      return (WRITER.writeValueAsString(document) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of JSON nodes is always writable", e);
    }
  }

  /** {@code parent.key} for simple keys, {@code parent["key"]} (JSON-escaped) for any other. */
  static String child(String parent, String key) {
    if (SIMPLE_KEY.matcher(key).matches()) {
      return parent + "." + key;
    }
    return parent + "[" + Checks.quote(key) + "]";
  }

  static String index(String parent, int i) {
    return parent + "[" + i + "]";
  }

  private static String path(JsonStreamContext context) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.push("[" + Math.max(c.getCurrentIndex(), 0) + "]");
      } else if (c.getCurrentName() != null) {
        parts.push(child("", c.getCurrentName()));
      }
    }
    return "$" + String.join("", parts);
  }

  private static String where(JacksonException e) {
    JsonLocation at = e.getLocation();
    return at == null
        ? ""
        : String.format(Locale.ROOT, " at line %d column %d", at.getLineNr(), at.getColumnNr());
  }
}
