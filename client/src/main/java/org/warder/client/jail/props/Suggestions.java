package org.warder.client.jail.props;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.warder.index.EditDistance;

/**
 * Valid names close to a mistyped one: jail(8) spellings, edit distance and substrings. Properties
 * and the command line's commands and options use it alike.
 */
public final class Suggestions {
  private Suggestions() {}

  /**
   * Up to three of {@code names} closest to {@code typed}, closest first: compared in lower case
   * with '.' and '-' read as '_' (allow.raw_sockets is allow_raw_sockets), within a quarter of the
   * typed length of edits (at least 2), or containing it.
   */
  public static List<String> closest(String typed, Collection<String> names) {
    String t = normal(typed);
    record Scored(String name, int score) {}
    List<Scored> scored = new ArrayList<>();
    int limit = Math.max(2, t.length() / 4);
    for (String name : names) {
      String k = normal(name);
      int d = EditDistance.between(t, k);
      if (d == 0) {
        scored.add(new Scored(name, -1)); // allow.raw_sockets, ALLOW_RAW_SOCKETS: the same key
      } else if (d <= limit) {
        scored.add(new Scored(name, d));
      } else if (t.length() >= 4 && (k.contains(t) || k.endsWith("_" + t))) {
        scored.add(new Scored(name, limit + 1 + k.length() - t.length())); // shorter are closer
      }
    }
    scored.sort(Comparator.comparingInt(Scored::score).thenComparing(Scored::name));
    return scored.stream().limit(3).map(Scored::name).toList();
  }

  private static String normal(String name) {
    return name.toLowerCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
