package org.warder.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import org.warder.signing.testing.BoundedParse;

/**
 * The round trip every catalogue document must survive: what parses writes a canonical form that
 * parses again to the same value and the same bytes, with no warning the original lacked.
 */
final class CanonicalRoundTrip {
  /** A catalogue parser: a value with its warnings, or a refusal. */
  @FunctionalInterface
  interface Parser<T> {
    Parsed<T> parse(byte[] json) throws CatalogException;
  }

  private CanonicalRoundTrip() {}

  /**
   * Parses {@code json} (a value or a {@link CatalogException}) and checks the round trip of a
   * value.
   */
  static <T> Optional<Parsed<T>> check(byte[] json, Parser<T> parser, Function<T, byte[]> writer) {
    Optional<Parsed<T>> result =
        BoundedParse.parsedOrRefused(CatalogException.class, () -> parser.parse(json));
    result.ifPresent(
        parsed -> {
          byte[] canonical = writer.apply(parsed.value());
          Parsed<T> again =
              BoundedParse.parsedOrRefused(CatalogException.class, () -> parser.parse(canonical))
                  .orElseThrow();
          // As JSON text first: a failure then shows control characters escaped.
          assertThat(new String(writer.apply(again.value()), StandardCharsets.UTF_8))
              .isEqualTo(new String(canonical, StandardCharsets.UTF_8));
          assertThat(again.value()).isEqualTo(parsed.value());
          assertThat(parsed.warnings())
              .as("warnings on the canonical form, each also on the original")
              .containsAll(again.warnings());
        });
    return result;
  }
}
