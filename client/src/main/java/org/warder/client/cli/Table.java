package org.warder.client.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Tabular output three ways: aligned columns with a header for people, {@code -h} tab-separated
 * without header for scripts (as iocage does), {@code --json} an array of objects keyed by the
 * lower-cased column names.
 */
final class Table {
  private final List<String> columns;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... columns) {
    this.columns = List.of(columns);
  }

  Table row(String... values) {
    if (values.length != columns.size()) {
      throw new IllegalArgumentException(
          "expected " + columns.size() + " values, found " + values.length);
    }
    rows.add(List.of(values));
    return this;
  }

  void print(PrintWriter out, boolean scripted, boolean json) {
    if (json) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (List<String> row : rows) {
        ObjectNode o = array.addObject();
        for (int i = 0; i < columns.size(); i++) {
          o.put(columns.get(i).toLowerCase(java.util.Locale.ROOT), row.get(i));
        }
      }
      out.println(array.toPrettyString());
    } else if (scripted) {
      rows.forEach(r -> out.println(String.join("\t", r)));
    } else {
      int[] width = new int[columns.size()];
      for (int i = 0; i < width.length; i++) {
        width[i] = columns.get(i).length();
        for (List<String> r : rows) {
          width[i] = Math.max(width[i], r.get(i).length());
        }
      }
      printRow(out, columns, width);
      rows.forEach(r -> printRow(out, r, width));
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
