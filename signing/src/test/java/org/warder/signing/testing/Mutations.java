package org.warder.signing.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik arbitraries for property tests of parsers of outside input: documents derived from real
 * seed documents by byte edits (a byte changed, inserted or deleted, a range repeated, the end cut
 * off, a hostile token inserted) or by JSON edits (a value replaced by a hostile one, a key or
 * element removed, a key added, a value wrapped in an array). Edits are lists of small records, so
 * jqwik shrinks a failing document towards its seed. Thread-safe.
 */
public final class Mutations {
  private static final JsonMapper LENIENT = JsonMapper.builder().build();
  private static final String PLACEHOLDER = "@@warder-mutation-%d@@";

  /** Short byte sequences that parsers of text formats have trouble with. */
  private static final List<String> TOKENS =
      List.of(
          "\"",
          "\\",
          "{",
          "}",
          "[",
          "]",
          ",",
          ":",
          "\u0000",
          "\n",
          "\t",
          " ",
          "\\u0000",
          "\\ud800",
          "\\udc00",
          "-",
          "0",
          "1e999",
          "99999999999999999999999",
          "null",
          "..",
          "/",
          "../",
          "\u202e",
          "\u00ff",
          "\uffff",
          "\ud83d\ude00",
          "\r\n",
          "=",
          "%00",
          "*",
          "?",
          "[!");

  /** JSON values every parser of a JSON document should refuse or handle, as raw JSON text. */
  private static final List<String> HOSTILE_VALUES =
      List.of(
          "null",
          "true",
          "false",
          "0",
          "-1",
          "-0",
          "1.5",
          "1e400",
          "-1e-400",
          "1E2",
          "9223372036854775807",
          "9223372036854775808",
          "-9223372036854775809",
          "18446744073709551616",
          "2147483648",
          "4294967296",
          "123456789012345678901234567890",
          "\"\"",
          "\" \"",
          "\"\\ud800\"",
          "\"a\\udc00b\"",
          "\"\\u0000\"",
          "\"\\u202e\"",
          "\"\\n\"",
          "\"../../../../etc/passwd\"",
          "\"/etc/passwd\"",
          "\"..\"",
          "\".\"",
          "\"a/../b\"",
          "\"a//b\"",
          "\"C:\\\\x\"",
          "\"-rf\"",
          "\"1\"",
          "\"true\"",
          "\"false\"",
          "\"yes\"",
          "[]",
          "{}",
          "[null]",
          "{\"\":null}",
          "[\"a\",\"a\"]",
          "[1,[2,[3]]]",
          "{\"a\":{\"b\":{\"c\":{}}}}",
          "[".repeat(80) + "]".repeat(80),
          "{\"a\":".repeat(80) + "1" + "}".repeat(80),
          "\"" + "a".repeat(70_000) + "\"");

  private Mutations() {}

  /** Documents made from one of {@code seeds} by one to eight byte edits. */
  public static Arbitrary<byte[]> ofBytes(List<byte[]> seeds) {
    List<byte[]> copies = List.copyOf(seeds);
    Arbitrary<ByteEdit> edit =
        Combinators.combine(
                Arbitraries.of(ByteEdit.Kind.values()),
                Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.bytes(),
                Arbitraries.integers().between(1, 600),
                Arbitraries.integers().between(0, TOKENS.size() - 1))
            .as(ByteEdit::new);
    return Combinators.combine(
            Arbitraries.integers().between(0, copies.size() - 1),
            edit.list().ofMinSize(1).ofMaxSize(8))
        .as((seed, edits) -> apply(copies.get(seed), edits));
  }

  /**
   * Documents made from one of {@code seeds} (each a JSON document) by one to four JSON edits;
   * replacement values are {@linkplain #HOSTILE_VALUES hostile ones}, arbitrary strings, numbers
   * and objects, or one of {@code domainValues} (raw JSON text: values that are nearly valid for
   * the format under test).
   */
  public static Arbitrary<byte[]> ofJson(List<byte[]> seeds, List<String> domainValues) {
    List<JsonNode> trees = seeds.stream().map(Mutations::readTree).toList();
    Arbitrary<String> value =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.of(HOSTILE_VALUES)),
            Tuple.of(
                3, domainValues.isEmpty() ? Arbitraries.of("null") : Arbitraries.of(domainValues)),
            Tuple.of(2, Arbitraries.strings().ofMaxLength(24).map(Mutations::quote)),
            Tuple.of(
                1,
                Arbitraries.bigIntegers()
                    .between(BigInteger.TWO.pow(70).negate(), BigInteger.TWO.pow(70))
                    .map(BigInteger::toString)),
            Tuple.of(
                1,
                Arbitraries.maps(
                        Arbitraries.strings().alpha().ofMaxLength(6),
                        Arbitraries.strings().ofMaxLength(6))
                    .ofMaxSize(3)
                    .map(Mutations::object)));
    Arbitrary<JsonEdit> edit =
        Combinators.combine(
                Arbitraries.of(JsonEdit.Kind.values()),
                Arbitraries.integers().greaterOrEqual(0),
                value,
                Arbitraries.strings().ofMaxLength(12))
            .as(JsonEdit::new);
    return Combinators.combine(
            Arbitraries.integers().between(0, trees.size() - 1),
            edit.list().ofMinSize(1).ofMaxSize(4))
        .as((seed, edits) -> apply(trees.get(seed), edits));
  }

  /** One byte edit; positions are taken modulo the document's length. */
  record ByteEdit(ByteEdit.Kind kind, int at, byte value, int length, int token) {
    enum Kind {
      SET,
      INSERT,
      DELETE,
      REPEAT,
      TRUNCATE,
      TOKEN
    }
  }

  /** One JSON edit of the node at {@code target} (modulo the node count) in document order. */
  record JsonEdit(JsonEdit.Kind kind, int target, String value, String key) {
    enum Kind {
      REPLACE,
      REMOVE,
      ADD_KEY,
      WRAP
    }
  }

  private static byte[] apply(byte[] seed, List<ByteEdit> edits) {
    byte[] doc = seed;
    for (ByteEdit e : edits) {
      int at = e.at() % (doc.length + 1);
      int end = Math.min(doc.length, at + e.length());
      doc =
          switch (e.kind()) {
            case SET -> {
              byte[] copy = doc.clone();
              if (at < copy.length) {
                copy[at] = e.value();
              }
              yield copy;
            }
            case INSERT -> splice(doc, at, at, new byte[] {e.value()});
            case DELETE -> splice(doc, at, end, new byte[0]);
            case REPEAT -> splice(doc, at, at, Arrays.copyOfRange(doc, at, end));
            case TRUNCATE -> Arrays.copyOf(doc, at);
            case TOKEN ->
                splice(doc, at, at, TOKENS.get(e.token()).getBytes(StandardCharsets.UTF_8));
          };
    }
    return doc;
  }

  /** {@code doc} with the bytes from {@code from} to {@code to} replaced by {@code insert}. */
  private static byte[] splice(byte[] doc, int from, int to, byte[] insert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(doc.length + insert.length);
    out.write(doc, 0, from);
    out.writeBytes(insert);
    out.write(doc, to, doc.length - to);
    return out.toByteArray();
  }

  private static byte[] apply(JsonNode seed, List<JsonEdit> edits) {
    JsonNode root = seed.deepCopy();
    List<String> values = new ArrayList<>();
    for (JsonEdit e : edits) {
      List<Located> nodes = new ArrayList<>();
      collect(root, null, null, -1, nodes);
      Located target = nodes.get(e.target() % nodes.size());
      TextNode placeholder = TextNode.valueOf(String.format(PLACEHOLDER, values.size()));
      switch (e.kind()) {
        case REPLACE -> {
          values.add(e.value());
          root = replace(root, target, placeholder);
        }
        case REMOVE -> {
          if (target.parent() instanceof ObjectNode o) {
            o.remove(target.key());
          } else if (target.parent() instanceof ArrayNode a) {
            a.remove(target.index());
          }
        }
        case ADD_KEY -> {
          if (target.node() instanceof ObjectNode o) {
            values.add(e.value());
            o.set(e.key(), placeholder);
          }
        }
        case WRAP -> {
          ArrayNode wrapper = LENIENT.createArrayNode().add(target.node().deepCopy());
          root = replace(root, target, wrapper);
        }
      }
    }
    String text;
    try {
      text = LENIENT.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    for (int i = 0; i < values.size(); i++) {
      text = text.replace("\"" + String.format(PLACEHOLDER, i) + "\"", values.get(i));
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A node with where it sits: its parent and its key or index there (none for the root). */
  private record Located(JsonNode node, ContainerNode<?> parent, String key, int index) {}

  private static void collect(
      JsonNode node, ContainerNode<?> parent, String key, int index, List<Located> out) {
    out.add(new Located(node, parent, key, index));
    if (node instanceof ObjectNode o) {
      for (Map.Entry<String, JsonNode> e : List.copyOf(o.properties())) {
        collect(e.getValue(), o, e.getKey(), -1, out);
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        collect(a.get(i), a, null, i, out);
      }
    }
  }

  private static JsonNode replace(JsonNode root, Located target, JsonNode replacement) {
    if (target.parent() instanceof ObjectNode o) {
      o.set(target.key(), replacement);
      return root;
    }
    if (target.parent() instanceof ArrayNode a) {
      a.set(target.index(), replacement);
      return root;
    }
    return replacement;
  }

  private static JsonNode readTree(byte[] json) {
    try {
      return LENIENT.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("a seed is not JSON", e);
    }
  }

  private static String quote(String s) {
    try {
      return LENIENT.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String object(Map<String, String> fields) {
    ObjectNode o = LENIENT.createObjectNode();
    fields.forEach(o::put);
    try {
      return LENIENT.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
