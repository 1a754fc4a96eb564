package org.warder.client.jail.props;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import org.warder.client.jail.props.PropertyException.Problem;

/**
 * A jail's thin config.json: one JSON object, keys sorted, booleans and integers as JSON numbers
 * (like iocage's thin configs), everything else as strings. Reading also takes iocage's spellings:
 * numbers as strings, JSON booleans.
 */
final class ConfigJson {
  static final int MAX_BYTES = 1024 * 1024;
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private ConfigJson() {}

  static String write(SortedMap<String, String> values) {
    ObjectNode root = MAPPER.createObjectNode();
    for (Map.Entry<String, String> e : values.entrySet()) {
      PropertyType type = PropertyCatalog.find(e.getKey()).orElseThrow().type();
      if (type.json() == PropertyType.Json.NUMBER) {
        root.put(e.getKey(), Long.parseLong(e.getValue()));
      } else {
        root.put(e.getKey(), e.getValue());
      }
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot write a JSON object of strings and numbers", e);
    }
  }

  /** The raw values of a config.json, in file order. */
  static Map<String, String> read(String json) throws PropertyException {
    if (json.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw malformed(
          "config.json is larger than " + MAX_BYTES + " bytes; it is not a jail config");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw malformed(
          "config.json is not valid JSON ("
              + e.getOriginalMessage()
              + "); restore it from a snapshot or backup");
    }
    if (root == null || !root.isObject()) {
      throw malformed(
          "config.json is not a JSON object of properties; restore it from a snapshot or backup");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> f : root.properties()) {
      JsonNode v = f.getValue();
      if (v.isTextual()) {
        out.put(f.getKey(), v.textValue());
      } else if (v.isIntegralNumber()) {
        out.put(f.getKey(), v.asText());
      } else if (v.isBoolean()) {
        out.put(f.getKey(), v.booleanValue() ? "1" : "0");
      } else {
        throw PropertyException.of(
            Problem.MALFORMED_CONFIG,
            f.getKey(),
            v.toString(),
            "config.json: property "
                + f.getKey()
                + " has a JSON "
                + v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
                + " value; expected a string or an integer");
      }
    }
    return out;
  }

  private static PropertyException malformed(String message) {
    return PropertyException.of(Problem.MALFORMED_CONFIG, "", null, message);
  }
}
