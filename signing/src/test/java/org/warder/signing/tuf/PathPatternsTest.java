package org.warder.signing.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * TUF path patterns: python-tuf's semantics, matched in polynomial time, and the registry's caps.
 */
class PathPatternsTest {
  @Test
  void testMatches_shellWildcardsWithinSegments() {
    assertThat(PathPatterns.matches("plugins/acme/*/*/*", "plugins/acme/nginx/3/manifest.json"))
        .isTrue();
    assertThat(PathPatterns.matches("plugins/*", "plugins/acme/x"))
        .isFalse(); // '*' never crosses '/'
    assertThat(PathPatterns.matches("plugins/*/x", "plugins//x"))
        .isTrue(); // '*' matches an empty segment
    assertThat(PathPatterns.matches("releases/1?.?-RELEASE/*", "releases/14.2-RELEASE/base.txz"))
        .isTrue();
    assertThat(PathPatterns.matches("a/[a-c]x", "a/bx")).isTrue();
    assertThat(PathPatterns.matches("a/[!a-c]x", "a/bx")).isFalse();
    assertThat(PathPatterns.matches("a/[]]", "a/]")).isTrue(); // a leading ']' is a member
    assertThat(PathPatterns.matches("a/[x", "a/[x")).isTrue(); // an unclosed '[' is a literal
    assertThat(PathPatterns.matches("a/*b*c", "a/xxbyyc")).isTrue();
    assertThat(PathPatterns.matches("a/*b*c", "a/xxbyyd")).isFalse();
    assertThat(PathPatterns.matches("A/*", "a/x")).isFalse(); // case-sensitive
  }

  @Test
  void testMatches_120StarsAreFast() {
    String pattern = "plugins/" + "*a".repeat(120) + "b";
    String path = "plugins/" + "a".repeat(300);
    // A backtracking matcher takes hours here (24 s for this path of 120 'a'); greedy matching is
    // instant.
    assertTimeoutPreemptively(
        Duration.ofSeconds(2),
        () -> {
          assertThat(PathPatterns.matches(pattern, path)).isFalse();
          assertThat(PathPatterns.matches(pattern, path + "b")).isTrue();
          assertThat(PathPatterns.matches("*".repeat(120) + "x", "a".repeat(5000))).isFalse();
        });
  }

  @Test
  void testMatches_sameAnswersAsBacktracking() {
    // The former recursive matcher, as the reference: fnmatch semantics by definition, slow only on
    // many '*'.
    Random random = new Random(7);
    String patternAlphabet = "ab*?[]!-";
    String pathAlphabet = "ab[]!-";
    for (int i = 0; i < 200_000; i++) {
      String p = randomText(random, patternAlphabet, 7);
      String s = randomText(random, pathAlphabet, 7);
      assertThat(PathPatterns.matches(p, s))
          .as("pattern %s, path %s", p, s)
          .isEqualTo(Backtracking.matches(p, s));
    }
  }

  private static String randomText(Random random, String alphabet, int maxLength) {
    StringBuilder b = new StringBuilder();
    for (int n = random.nextInt(maxLength + 1); n > 0; n--) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  @Test
  void testCheck_lengthCap() {
    String longest = "plugins/" + "a".repeat(PathPatterns.MAX_LENGTH - "plugins/".length());
    assertThat(PathPatterns.check(longest)).isEmpty();
    assertThat(PathPatterns.check(longest + "a"))
        .hasValueSatisfying(
            problem -> assertThat(problem).contains("at most 256 characters, found one of 257"));
  }

  @Test
  void testCheck_starCap() {
    String most = "p/" + "*x".repeat(PathPatterns.MAX_STARS);
    assertThat(PathPatterns.check(most)).isEmpty();
    assertThat(PathPatterns.check(most + "*"))
        .hasValueSatisfying(problem -> assertThat(problem).contains("at most 16 '*', found 17"));
    assertThat(PathPatterns.check("plugins/acme/*/*/*")).isEmpty();
  }

  /** The segment matcher PathPatterns had before: exponential in the number of '*'. */
  private static final class Backtracking {
    static boolean matches(String p, String s) {
      return segment(p, 0, s, 0);
    }

    private static boolean segment(String p, int pi, String s, int si) {
      while (pi < p.length()) {
        char c = p.charAt(pi);
        if (c == '*') {
          for (int k = si; k <= s.length(); k++) {
            if (segment(p, pi + 1, s, k)) {
              return true;
            }
          }
          return false;
        }
        if (si >= s.length()) {
          return false;
        }
        if (c == '[') {
          int close = closing(p, pi);
          if (close < 0) {
            if (s.charAt(si) != '[') {
              return false;
            }
          } else {
            if (!inSet(p.substring(pi + 1, close), s.charAt(si))) {
              return false;
            }
            pi = close;
          }
        } else if (c != '?' && c != s.charAt(si)) {
          return false;
        }
        pi++;
        si++;
      }
      return si == s.length();
    }

    private static int closing(String p, int open) {
      int i = open + 1;
      if (i < p.length() && p.charAt(i) == '!') {
        i++;
      }
      if (i < p.length() && p.charAt(i) == ']') {
        i++;
      }
      return p.indexOf(']', i);
    }

    private static boolean inSet(String set, char c) {
      boolean negate = !set.isEmpty() && set.charAt(0) == '!';
      String members = negate ? set.substring(1) : set;
      boolean found = false;
      for (int i = 0; i < members.length(); i++) {
        if (i + 2 < members.length() && members.charAt(i + 1) == '-') {
          found |= members.charAt(i) <= c && c <= members.charAt(i + 2);
          i += 2;
        } else {
          found |= members.charAt(i) == c;
        }
      }
      return found != negate;
    }
  }
}
