package org.warder.client.fetch;

import java.time.Duration;

/**
 * Transport limits of the HTTP clients (the fetcher and the publishing client). The whole-call
 * deadline of a download is the larger of {@code minCallTimeout} and the time the expected bytes
 * take at {@code minBytesPerSecond}, so a server that drips bytes slowly enough never to trip
 * {@code readTimeout} is still cut off. A failed request is retried after pauses from {@code
 * firstBackoff}, doubling, for up to {@code retryDeadline} ({@link RetryDeadline}).
 */
public record HttpSettings(
    Duration connectTimeout,
    Duration readTimeout,
    Duration minCallTimeout,
    long minBytesPerSecond,
    Duration firstBackoff,
    Duration retryDeadline) {

  /** The retry deadline when neither {@code --retry-deadline} nor warder.conf sets one. */
  public static final Duration DEFAULT_RETRY_DEADLINE = Duration.ofSeconds(60);

  /**
   * Production defaults: 10 s connect, 30 s read, 60 s or 256 KiB/s per call, retries for 60 s (a
   * registry restarting under load is back within about 13 s).
   */
  public static HttpSettings defaults() {
    return new HttpSettings(
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        256 * 1024,
        Duration.ofMillis(250),
        DEFAULT_RETRY_DEADLINE);
  }

  /** These settings, retrying for up to {@code deadline}. */
  public HttpSettings withRetryDeadline(Duration deadline) {
    return new HttpSettings(
        connectTimeout, readTimeout, minCallTimeout, minBytesPerSecond, firstBackoff, deadline);
  }

  /** The whole-call deadline for a body of at most {@code maxLength} bytes. */
  public Duration callTimeout(long maxLength) {
    Duration byRate = Duration.ofMillis(maxLength / Math.max(1, minBytesPerSecond / 1000));
    return byRate.compareTo(minCallTimeout) > 0 ? byRate : minCallTimeout;
  }
}
