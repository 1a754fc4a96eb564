package org.warder.client.jail.props;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Valid keys close to a mistyped one: jail(8) spellings, edit distance and substrings. */
final class Suggestions {
  private Suggestions() {}

  static List<String> closest(String typed, List<String> keys) {
    String t = typed.toLowerCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    record Scored(String key, int score) {}
    List<Scored> scored = new ArrayList<>();
    int limit = Math.max(2, t.length() / 4);
    for (String k : keys) {
      int d = distance(t, k);
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

  /** Levenshtein distance with adjacent transpositions counted as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
