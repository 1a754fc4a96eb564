package org.warder.client.jail.props;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.warder.index.EditDistance;

/** Valid keys close to a mistyped one: jail(8) spellings, edit distance and substrings. */
final class Suggestions {
  private Suggestions() {}

  static List<String> closest(String typed, List<String> keys) {
    String t = typed.toLowerCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    record Scored(String key, int score) {}
    List<Scored> scored = new ArrayList<>();
    int limit = Math.max(2, t.length() / 4);
    for (String k : keys) {
      int d = EditDistance.between(t, k);
      if (d == 0) {
        scored.add(new Scored(k, -1)); // allow.raw_sockets, ALLOW_RAW_SOCKETS: the same key
      } else if (d <= limit) {
        scored.add(new Scored(k, d));
      } else if (t.length() >= 4 && (k.contains(t) || k.endsWith("_" + t))) {
        scored.add(new Scored(k, limit + 1 + k.length() - t.length())); // shorter keys are closer
      }
    }
    scored.sort(Comparator.comparingInt(Scored::score).thenComparing(Scored::key));
    return scored.stream().limit(3).map(Scored::key).toList();
  }
}
