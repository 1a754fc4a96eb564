package org.warder.signing.tuf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link PathPatterns} agrees with a plain regular-expression translation of TUF's glob patterns
 * (python-tuf: same number of {@code /}-separated segments, fnmatch per segment) on short patterns
 * and paths over a small alphabet, where every outcome can be reached. Only well-formed bracket
 * sets are generated, so the property holds for any correct glob matcher; sizes stay small so that
 * even a backtracking matcher finishes.
 */
class PathPatternsPropertyTest {
  /** Pattern tokens and their translation; a wildcard or set never matches {@code /}. */
  private static final Map<String, String> TOKENS =
      Map.ofEntries(
          Map.entry("a", "a"),
          Map.entry("b", "b"),
          Map.entry("c", "c"),
          Map.entry(".", "\\."),
          Map.entry("/", "/"),
          Map.entry("*", "[^/]*"),
          Map.entry("?", "[^/]"),
          Map.entry("[ab]", "[ab]"),
          Map.entry("[!a]", "[^a/]"),
          Map.entry("[a-c]", "[a-c]"),
          Map.entry("[!b-c]", "[^b-c/]"),
          Map.entry("[]a]", "[\\]a]"));

  @Property(tries = 1000)
  void testMatches_agreesWithTheRegexTranslation(
      @ForAll("patterns") List<String> tokens, @ForAll("paths") String path) {
    String pattern = String.join("", tokens);
    StringBuilder regex = new StringBuilder();
    tokens.forEach(t -> regex.append(TOKENS.get(t)));
    boolean expected = Pattern.compile(regex.toString()).matcher(path).matches();
    assertThat(PathPatterns.matches(pattern, path))
        .as("pattern %s on path %s", pattern, path)
        .isEqualTo(expected);
  }

  @Property(tries = 200)
  void testMatches_aPathWithoutWildcardsMatchesExactlyItself(
      @ForAll("paths") String pattern, @ForAll("paths") String path) {
    assertThat(PathPatterns.matches(pattern.replace("]", "c"), path))
        .isEqualTo(pattern.replace("]", "c").equals(path));
  }

  @Provide
  Arbitrary<List<String>> patterns() {
    return Arbitraries.of(List.copyOf(TOKENS.keySet())).list().ofMaxSize(8);
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.strings().withChars("abc.]/").ofMaxLength(10);
  }
}
