package org.warder.signing.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.function.ThrowingSupplier;

/**
 * The outcome every parser of outside input must have, whatever the input: within {@link #LIMIT},
 * either a value or the parser's documented checked exception with a message; never another
 * exception (NullPointerException, ClassCastException, IndexOutOfBoundsException, an unchecked
 * exception of a library), an error (StackOverflowError, OutOfMemoryError) or a hang.
 */
public final class BoundedParse {
  /** Far above what any parse of a test document takes; a hang or a blow-up fails instead. */
  public static final Duration LIMIT = Duration.ofSeconds(10);

  private BoundedParse() {}

  /**
   * The value {@code parse} returned, or empty when it refused the input with {@code refusal}.
   * Anything else fails the calling test with what was thrown.
   */
  public static <T> Optional<T> parsedOrRefused(
      Class<? extends Exception> refusal, ThrowingSupplier<T> parse) {
    try {
      return Optional.of(assertTimeoutPreemptively(LIMIT, parse));
    } catch (Throwable t) {
      assertThat(t).as("what the parser threw").isInstanceOf(refusal);
      assertThat(t.getMessage()).as("the refusal's message").isNotBlank();
      return Optional.empty();
    }
  }
}
