package org.warder.signing.tuf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * TUF path pattern matching, as python-tuf does it: pattern and path must have the same number of
 * {@code /}-separated segments, and each segment matches with shell wildcards ({@code *}, {@code
 * ?}, {@code [seq]}, {@code [!seq]}) that never cross a separator. Case-sensitive.
 *
 * <p>A segment is matched greedily, going back only to the last {@code *} on a mismatch, so a match
 * takes at most (pattern length) x (path length) steps whatever the pattern: a hostile delegation
 * with many {@code *} cannot stall a client or the registry (a backtracking matcher takes
 * exponential time there). Patterns the registry accepts are further capped by {@link #check}.
 * Stateless.
 */
public final class PathPatterns {
  /**
   * The longest pattern a registry delegates: real ones are under 80 characters ({@code
   * plugins/<publisher of up to 55>/*}{@code /*}{@code /*}); a target path's segments are names of
   * at most 64 characters.
   */
  public static final int MAX_LENGTH = 256;

  /**
   * The most {@code *} a registry-delegated pattern may have: real ones have one per segment and at
   * most three segments with one ({@code releases/*}{@code /base.txz}, {@code plugins/P/*}{@code
   * /*}{@code /*}).
   */
  public static final int MAX_STARS = 16;

  private PathPatterns() {}

  /**
   * Why {@code pattern} is refused as a delegated path pattern, if it is: longer than {@link
   * #MAX_LENGTH} characters or with more than {@link #MAX_STARS} {@code *}.
   */
  public static Optional<String> check(String pattern) {
    if (pattern.length() > MAX_LENGTH) {
      return Optional.of(
          "expected a path pattern of at most "
              + MAX_LENGTH
              + " characters, found one of "
              + pattern.length()
              + " (\""
              + pattern.substring(0, 40)
              + "...\"); delegate shorter patterns");
    }
    long stars = pattern.chars().filter(c -> c == '*').count();
    if (stars > MAX_STARS) {
      return Optional.of(
          "expected a path pattern with at most "
              + MAX_STARS
              + " '*', found "
              + stars
              + " in \""
              + pattern
              + "\"; one '*' per segment is all a pattern needs");
    }
    return Optional.empty();
  }

  static boolean matches(String pattern, String path) {
    String[] patternParts = pattern.split("/", -1);
    String[] pathParts = path.split("/", -1);
    if (patternParts.length != pathParts.length) {
      return false;
    }
    for (int i = 0; i < patternParts.length; i++) {
      if (!segmentMatches(tokens(patternParts[i]), pathParts[i])) {
        return false;
      }
    }
    return true;
  }

  /** One element of a segment pattern: {@code *}, or a test of one character. */
  private sealed interface Token permits Star, One {}

  private record Star() implements Token {}

  /**
   * {@code ?}, a literal, or a set {@code [..]} / {@code [!..]}: one character that passes {@code
   * test}.
   */
  private record One(IntPredicate test) implements Token {}

  private static List<Token> tokens(String p) {
    List<Token> tokens = new ArrayList<>();
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '*') {
        tokens.add(new Star());
      } else if (c == '?') {
        tokens.add(new One(ch -> true));
      } else if (c == '[' && closingBracket(p, i) >= 0) {
        int close = closingBracket(p, i);
        String set = p.substring(i + 1, close);
        tokens.add(new One(ch -> inSet(set, (char) ch)));
        i = close;
      } else {
        tokens.add(new One(ch -> ch == c)); // an unclosed '[' is a literal, as in fnmatch
      }
    }
    return tokens;
  }

  /**
   * Greedy matching with one saved position: on a mismatch, the last {@code *} seen takes one more
   * character and matching resumes after it. Earlier stars never need to change, since every other
   * token matches exactly one character.
   */
  private static boolean segmentMatches(List<Token> p, String s) {
    int pi = 0;
    int si = 0;
    int starAt = -1;
    int starMatchedTo = 0;
    while (si < s.length()) {
      if (pi < p.size() && p.get(pi) instanceof One one && one.test().test(s.charAt(si))) {
        pi++;
        si++;
      } else if (pi < p.size() && p.get(pi) instanceof Star) {
        starAt = pi++;
        starMatchedTo = si;
      } else if (starAt >= 0) {
        pi = starAt + 1;
        si = ++starMatchedTo;
      } else {
        return false;
      }
    }
    while (pi < p.size() && p.get(pi) instanceof Star) {
      pi++;
    }
    return pi == p.size();
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
    return p.indexOf(']', i);
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
