package org.warder.signing.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Typed, path-aware reads of metadata fields; every failure names the JSON path. */
final class Fields {
  private static final Pattern EXPIRES =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
  private static final Pattern SPEC_VERSION = Pattern.compile("1\\.\\d+(\\.\\d+)?");
  private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

  private final JsonNode node;
  private final String path;

  Fields(JsonNode node, String path) throws MetadataFormatException {
    if (!node.isObject()) {
      throw new MetadataFormatException(
          "expected an object at " + path + ", found " + describe(node));
    }
    this.node = node;
    this.path = path;
  }

  String path() {
    return path;
  }

  boolean has(String name) {
    return node.has(name);
  }

  JsonNode require(String name) throws MetadataFormatException {
    JsonNode value = node.get(name);
    if (value == null) {
      throw new MetadataFormatException(
          "expected field \"" + name + "\" at " + path + ", found none");
    }
    return value;
  }

  String string(String name) throws MetadataFormatException {
    JsonNode value = require(name);
    if (!value.isTextual()) {
      throw mismatch(name, "a string", value);
    }
    return value.textValue();
  }

  boolean bool(String name) throws MetadataFormatException {
    JsonNode value = require(name);
    if (!value.isBoolean()) {
      throw mismatch(name, "true or false", value);
    }
    return value.booleanValue();
  }

  long integer(String name, long min) throws MetadataFormatException {
    JsonNode value = require(name);
    if (!value.isIntegralNumber()) {
      throw mismatch(name, "an integer", value);
    }
    BigInteger big = value.bigIntegerValue();
    if (big.compareTo(BigInteger.valueOf(min)) < 0 || big.compareTo(MAX_LONG) > 0) {
      throw new MetadataFormatException(
          "expected an integer from "
              + min
              + " to "
              + Long.MAX_VALUE
              + " at "
              + path
              + "."
              + name
              + ", found "
              + big);
    }
    return big.longValue();
  }

  Fields object(String name) throws MetadataFormatException {
    return new Fields(require(name), path + "." + name);
  }

  /** The object's entries, each value as a field reader. */
  Map<String, JsonNode> entries(String name) throws MetadataFormatException {
    JsonNode value = require(name);
    if (!value.isObject()) {
      throw mismatch(name, "an object", value);
    }
    Map<String, JsonNode> out = new LinkedHashMap<>();
    value.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  List<JsonNode> array(String name) throws MetadataFormatException {
    JsonNode value = require(name);
    if (!value.isArray()) {
      throw mismatch(name, "an array", value);
    }
    List<JsonNode> out = new ArrayList<>();
    value.forEach(out::add);
    return out;
  }

  List<String> strings(String name) throws MetadataFormatException {
    List<String> out = new ArrayList<>();
    List<JsonNode> items = array(name);
    for (int i = 0; i < items.size(); i++) {
      if (!items.get(i).isTextual()) {
        throw new MetadataFormatException(
            "expected a string at "
                + path
                + "."
                + name
                + "["
                + i
                + "], found "
                + describe(items.get(i)));
      }
      out.add(items.get(i).textValue());
    }
    return out;
  }

  Instant expires() throws MetadataFormatException {
    String text = string("expires");
    if (!EXPIRES.matcher(text).matches()) {
      throw new MetadataFormatException(
          "expected expires as YYYY-MM-DDTHH:MM:SSZ at "
              + path
              + ".expires, found \""
              + text
              + "\"");
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new MetadataFormatException(
          "expected a valid date at " + path + ".expires, found \"" + text + "\"", e);
    }
  }

  String specVersion() throws MetadataFormatException {
    String text = string("spec_version");
    if (!SPEC_VERSION.matcher(text).matches()) {
      throw new MetadataFormatException(
          "expected spec_version 1.x.y (TUF 1) at "
              + path
              + ".spec_version, found \""
              + text
              + "\"");
    }
    return text;
  }

  /** A hashes object: algorithm name to lower-case hex string, in document order. */
  Map<String, String> hashes(String name) throws MetadataFormatException {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : entries(name).entrySet()) {
      if (!e.getValue().isTextual()) {
        throw new MetadataFormatException(
            "expected a hex string at "
                + path
                + "."
                + name
                + "."
                + e.getKey()
                + ", found "
                + describe(e.getValue()));
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  ObjectNode raw() {
    return (ObjectNode) node;
  }

  private MetadataFormatException mismatch(String name, String expected, JsonNode found) {
    return new MetadataFormatException(
        "expected " + expected + " at " + path + "." + name + ", found " + describe(found));
  }

  static String describe(JsonNode node) {
    String text = node.toString();
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
        + " "
        + (text.length() > 60 ? text.substring(0, 60) + "..." : text);
  }
}
