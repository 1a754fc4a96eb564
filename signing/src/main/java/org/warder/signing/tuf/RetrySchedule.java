package org.warder.signing.tuf;

import java.io.IOException;

/**
 * When to try a failed request again: a pause before the next attempt, or the end. One per request
 * (or per rotation among mirrors); not thread-safe.
 */
@FunctionalInterface
public interface RetrySchedule {

  /** No retries: the first failure ends it. */
  RetrySchedule NONE =
      failure -> {
        throw new FetchGaveUpException(
            failure.getMessage() == null
                ? failure.getClass().getSimpleName()
                : failure.getMessage(),
            failure);
      };

  /**
   * Pauses before the next attempt after {@code failure}; when no attempt is left, throws a {@link
   * FetchGaveUpException} that says why, caused by {@code failure}.
   */
  void pause(Exception failure) throws IOException;
}
