package org.warder.client.jail.props;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The type of a jail property: what values it takes, said in words for messages and listings, and
 * how a raw value becomes its one normalized spelling (booleans {@code 0}/{@code 1}, lower-case
 * choices, canonical addresses). Immutable and thread-safe.
 */
public final class PropertyType {
  /** Checks and normalizes one raw value; throws with the detail of what is wrong. */
  @FunctionalInterface
  interface Normalizer {
    String normalize(String raw) throws Invalid;
  }

  /** A value refused by a {@link Normalizer}; the detail says why, in a few words. */
  static final class Invalid extends Exception {
    Invalid(String detail) {
      super(detail, null, false, false);
    }
  }

  /** How config.json stores the normalized value. */
  enum Json {
    NUMBER,
    STRING
  }

  private final String name;
  private final String expected;
  private final Normalizer normalizer;
  private final Json json;

  PropertyType(String name, String expected, Json json, Normalizer normalizer) {
    this.name = name;
    this.expected = expected;
    this.json = json;
    this.normalizer = normalizer;
  }

  /** A short name of the type: {@code bool}, {@code int}, {@code choice}, {@code ip4-list}, ... */
  public String name() {
    return name;
  }

  /** What values are accepted, in words ("0 or 1 (also yes/no, true/false, on/off)"). */
  public String expected() {
    return expected;
  }

  Json json() {
    return json;
  }

  /**
   * A value of this type as typed JSON, for {@code --json} output: a boolean for {@code bool}
   * ({@code 1}/{@code 0}, also iocage's yes/no), a number for integers, else a string (also a value
   * that does not parse as its type, such as {@code none} for an unset number).
   */
  public JsonNode toJson(String value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (name.equals("bool")) {
      return IocageBoolean.parse(value).<JsonNode>map(f::booleanNode).orElse(f.textNode(value));
    }
    if (json == Json.NUMBER && value.matches("-?[0-9]{1,18}")) {
      return f.numberNode(Long.parseLong(value));
    }
    return f.textNode(value);
  }

  /** The normalized spelling of {@code raw} as a value of {@code key}. */
  public String normalize(String key, String raw) throws PropertyException {
    if (raw == null) {
      throw PropertyException.malformed(key, "", expected, "no value");
    }
    try {
      return normalizer.normalize(raw);
    } catch (Invalid e) {
      throw PropertyException.malformed(
          key, raw, expected, e.getMessage() == null ? "" : e.getMessage());
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
