package org.warder.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads of one catalogue document's JSON values, normalising the spellings real iocage
 * documents use (a warning for each) and refusing the rest with the JSON path. Not thread-safe: one
 * per parse.
 */
final class FieldReader {
  private final String document;
  private final String hint;
  private final List<CatalogWarning> warnings = new ArrayList<>();

  FieldReader(String document, String hint) {
    this.document = document;
    this.hint = hint;
  }

  List<CatalogWarning> warnings() {
    return warnings;
  }

  void warn(String path, String message) {
    warnings.add(new CatalogWarning(path, message));
  }

  InvalidFieldException invalid(String path, String expected, JsonNode found) {
    return new InvalidFieldException(document, path, expected, Checks.describe(found), hint);
  }

  /**
   * A required key is absent from the object at {@code path}; names a present key that looks like a
   * typo of it.
   */
  InvalidFieldException missing(ObjectNode object, String path, String key, String expected) {
    List<String> present = new ArrayList<>();
    object.fieldNames().forEachRemaining(present::add);
    String typo =
        present.stream()
            .filter(p -> Checks.typoOf(p, List.of(key)).isPresent())
            .findFirst()
            .map(p -> " (but " + Checks.quote(p) + ", a typo?)")
            .orElse("");
    return new InvalidFieldException(
        document, path, "key \"" + key + "\" (" + expected + ")", "none" + typo, hint);
  }

  /** Records an unknown key, kept as is but not used. */
  void unknown(String path, String key, Collection<String> known, Map<String, String> notes) {
    Optional<String> typo = Checks.typoOf(key, known);
    String note = notes.getOrDefault(key, "");
    warn(
        path,
        "unknown key"
            + typo.map(t -> " (typo of \"" + t + "\"?)").orElse("")
            + (note.isEmpty() ? "" : " (" + note + ")")
            + " ignored");
  }

  String string(JsonNode node, String path) throws InvalidFieldException {
    if (!node.isTextual()) {
      throw invalid(path, "a string", node);
    }
    return node.textValue();
  }

  ObjectNode object(JsonNode node, String path) throws InvalidFieldException {
    if (!node.isObject()) {
      throw invalid(path, "an object", node);
    }
    return (ObjectNode) node;
  }

  List<String> strings(JsonNode node, String path) throws InvalidFieldException {
    if (!node.isArray()) {
      throw invalid(path, "an array of strings", node);
    }
    List<String> out = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      out.add(string(node.get(i), CatalogJson.index(path, i)));
    }
    return out;
  }

  /** A boolean; iocage manifests also say {@code "false"} and {@code "true"}. */
  boolean bool(JsonNode node, String path) throws InvalidFieldException {
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isTextual() && (node.textValue().equals("true") || node.textValue().equals("false"))) {
      warn(
          path,
          "string " + Checks.quote(node.textValue()) + " read as boolean " + node.textValue());
      return node.textValue().equals("true");
    }
    throw invalid(path, "true or false", node);
  }

  /**
   * An integer from 0 to {@link Integer#MAX_VALUE}; iocage manifests also write it as a string of
   * digits ({@code "1"}), and the schema's "number" admits {@code 1.0}.
   */
  int nonNegativeInt(JsonNode node, String path) throws InvalidFieldException {
    String expected = "an integer from 0 to " + Integer.MAX_VALUE;
    BigInteger value;
    if (node.isIntegralNumber()) {
      value = node.bigIntegerValue();
    } else if (node.isNumber()) {
      BigDecimal d = node.decimalValue();
      if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
        throw invalid(path, expected, node);
      }
      value = d.toBigInteger();
      warn(path, "number " + node.asText() + " read as " + value);
    } else if (node.isTextual() && node.textValue().matches("0|[1-9][0-9]{0,9}")) {
      value = new BigInteger(node.textValue());
      warn(path, "string " + Checks.quote(node.textValue()) + " read as number " + value);
    } else {
      throw invalid(path, expected, node);
    }
    if (value.signum() < 0 || value.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
      throw invalid(path, expected, node);
    }
    return value.intValue();
  }
}
