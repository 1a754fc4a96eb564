package org.warder.signing.tuf;

/**
 * TUF path pattern matching, as python-tuf does it: pattern and path must have the same number
 * of {@code /}-separated segments, and each segment matches with shell wildcards ({@code *},
 * {@code ?}, {@code [seq]}, {@code [!seq]}) that never cross a separator. Case-sensitive.
 */
final class PathPatterns {
  private PathPatterns() {}

  static boolean matches(String pattern, String path) {
    String[] patternParts = pattern.split("/", -1);
    String[] pathParts = path.split("/", -1);
    if (patternParts.length != pathParts.length) {
      return false;
    }
    for (int i = 0; i < patternParts.length; i++) {
      if (!segmentMatches(patternParts[i], 0, pathParts[i], 0)) {
        return false;
      }
    }
    return true;
  }

  private static boolean segmentMatches(String p, int pi, String s, int si) {
    while (pi < p.length()) {
      char c = p.charAt(pi);
      if (c == '*') {
        for (int k = si; k <= s.length(); k++) {
          if (segmentMatches(p, pi + 1, s, k)) {
            return true;
          }
        }
        return false;
      }
      if (si >= s.length()) {
        return false;
      }
      if (c == '?') {
        pi++;
        si++;
      } else if (c == '[') {
        int close = closingBracket(p, pi);
        if (close < 0) {
          if (s.charAt(si) != '[') {
            return false; // an unclosed '[' is a literal, as in fnmatch
          }
          pi++;
          si++;
          continue;
        }
        if (!inSet(p.substring(pi + 1, close), s.charAt(si))) {
          return false;
        }
        pi = close + 1;
        si++;
      } else {
        if (c != s.charAt(si)) {
          return false;
        }
        pi++;
        si++;
      }
    }
    return si == s.length();
  }

  /** Index of the ']' closing the set opened at {@code open}, or -1. */
  private static int closingBracket(String p, int open) {
    int i = open + 1;
    if (i < p.length() && p.charAt(i) == '!') {
      i++;
    }
    if (i < p.length() && p.charAt(i) == ']') {
      i++; // a leading ']' is a member
    }
    int close = p.indexOf(']', i);
    return close;
  }

  private static boolean inSet(String set, char c) {
    boolean negate = !set.isEmpty() && set.charAt(0) == '!';
    String members = negate ? set.substring(1) : set;
    boolean found = false;
    for (int i = 0; i < members.length(); i++) {
      if (i + 2 < members.length() && members.charAt(i + 1) == '-') {
        if (members.charAt(i) <= c && c <= members.charAt(i + 2)) {
          found = true;
        }
        i += 2;
      } else if (members.charAt(i) == c) {
        found = true;
      }
    }
    return found != negate;
  }
}
