package org.warder.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Tabular output three ways: aligned columns with a header for people, {@code -h} tab-separated
 * without header for scripts (as iocage does), {@code --json} an array of objects keyed by the
 * lower-cased column names. Cells are typed: a {@link String}, {@link Long}, {@link Integer} or
 * {@link Boolean} is a JSON string, number or boolean, an empty {@link Optional} (or a missing
 * {@link JsonNode}) is {@code null} in JSON and {@code -} in text, a {@link List} is a JSON array
 * and its items joined by commas in text, and a {@link JsonNode} is itself.
 */
final class Table {
  private final List<String> columns;
  private final List<List<JsonNode>> rows = new ArrayList<>();

  Table(String... columns) {
    this.columns = List.of(columns);
  }

  /** Adds a row of cells, one per column: see the class comment for the types a cell may have. */
  Table row(Object... values) {
    if (values.length != columns.size()) {
      throw new IllegalArgumentException(
          "expected " + columns.size() + " values, found " + values.length);
    }
    List<JsonNode> row = new ArrayList<>();
    for (Object v : values) {
      row.add(cell(v));
    }
    rows.add(List.copyOf(row));
    return this;
  }

  /** A cell as JSON: strings, integral numbers, booleans, optionals of them, or JSON itself. */
  static JsonNode cell(Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value instanceof Optional<?> o) {
      return o.isPresent() ? cell(o.get()) : f.nullNode();
    } else if (value instanceof String s) {
      return f.textNode(s);
    } else if (value instanceof Long || value instanceof Integer) {
      return f.numberNode(((Number) value).longValue());
    } else if (value instanceof Boolean b) {
      return f.booleanNode(b);
    } else if (value instanceof JsonNode n) {
      return n.isMissingNode() ? f.nullNode() : n;
    } else if (value instanceof List<?> list) {
      ArrayNode array = f.arrayNode();
      list.forEach(v -> array.add(cell(v)));
      return array;
    }
    throw new IllegalArgumentException(
        "expected a String, Long, Integer, Boolean, Optional, List or JsonNode cell, found "
            + value.getClass().getName());
  }

  /**
   * A cell as text: {@code -} for null, strings without quotes, a list's items joined by commas.
   */
  static String text(JsonNode cell) {
    if (cell.isArray()) {
      List<String> items = new ArrayList<>();
      cell.forEach(item -> items.add(text(item)));
      return String.join(",", items);
    }
    return cell.isNull() ? "-" : cell.isValueNode() ? cell.asText() : cell.toString();
  }

  void print(PrintWriter out, boolean scripted, boolean json) {
    if (json) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (List<JsonNode> row : rows) {
        ObjectNode o = array.addObject();
        for (int i = 0; i < columns.size(); i++) {
          o.set(columns.get(i).toLowerCase(Locale.ROOT), row.get(i));
        }
      }
      out.println(array.toPrettyString());
    } else {
      List<List<String>> texts =
          rows.stream().map(r -> r.stream().map(Table::text).toList()).toList();
      if (scripted) {
        texts.forEach(r -> out.println(String.join("\t", r)));
      } else {
        int[] width = new int[columns.size()];
        for (int i = 0; i < width.length; i++) {
          width[i] = columns.get(i).length();
          for (List<String> r : texts) {
            width[i] = Math.max(width[i], r.get(i).length());
          }
        }
        printRow(out, columns, width);
        texts.forEach(r -> printRow(out, r, width));
      }
    }
    out.flush();
  }

  private static void printRow(PrintWriter out, List<String> values, int[] width) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      line.append(
          i == values.size() - 1
              ? values.get(i)
              : String.format("%-" + (width[i] + 2) + "s", values.get(i)));
    }
    out.println(line.toString().stripTrailing());
  }
}
