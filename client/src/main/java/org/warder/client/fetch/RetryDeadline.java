package org.warder.client.fetch;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.warder.signing.tuf.FetchGaveUpException;
import org.warder.signing.tuf.RetrySchedule;

/**
 * The retries of one request (or of one step of an upload): pauses of {@link
 * HttpSettings#firstBackoff}, doubling up to {@link #MAX_PAUSE}, for as long as {@link
 * HttpSettings#retryDeadline} allows since the first failure's request began; the last pause ends
 * at the deadline and one last attempt follows. A registry restarting (about 13 s under load) is
 * waited for; a registry that stays away gives a failure that names the deadline. Time is the
 * monotonic clock's, so a wall clock set back or forward changes nothing. One per request; not
 * thread-safe.
 */
public final class RetryDeadline implements RetrySchedule {
  /** The longest pause: a server back after a restart is found within this much. */
  public static final Duration MAX_PAUSE = Duration.ofSeconds(4);

  private final HttpSettings settings;
  private final long started = System.nanoTime();
  private int pauses;

  private RetryDeadline(HttpSettings settings) {
    this.settings = settings;
  }

  /** Retries from now, as {@code settings} bound them. */
  public static RetryDeadline start(HttpSettings settings) {
    return new RetryDeadline(settings);
  }

  /**
   * Pauses before the next attempt after {@code failure}; once the deadline has passed, throws a
   * {@link FetchGaveUpException} that says so, caused by {@code failure}.
   */
  @Override
  public void pause(Exception failure) throws IOException {
    long left = settings.retryDeadline().toNanos() - (System.nanoTime() - started);
    if (left <= 0) {
      String what =
          failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
      throw new FetchGaveUpException(
          what
              + "; gave up after "
              + (pauses == 0 ? "1 attempt" : (pauses + 1) + " attempts")
              + " in "
              + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)
              + " s (the retry deadline is "
              + settings.retryDeadline().toSeconds()
              + " s: raise it with --retry-deadline SECONDS or retry_deadline in warder.conf)",
          failure);
    }
    long first = settings.firstBackoff().toNanos();
    long longest = Math.max(first, MAX_PAUSE.toNanos());
    long pause = first;
    for (int i = 0; i < pauses && pause < longest; i++) {
      pause *= 2;
    }
    pause = Math.min(Math.min(pause, longest), left);
    pauses++;
    try {
      TimeUnit.NANOSECONDS.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException("interrupted while retrying");
      interrupted.initCause(failure);
      throw interrupted;
    }
  }
}
