package org.warder.client.fetch;

import java.time.Duration;

/**
 * Transport limits of the HTTP fetcher. The whole-call deadline of a download is the larger of
 * {@code minCallTimeout} and the time the expected bytes take at {@code minBytesPerSecond}, so a
 * server that drips bytes slowly enough never to trip {@code readTimeout} is still cut off.
 */
public record HttpSettings(
    Duration connectTimeout,
    Duration readTimeout,
    Duration minCallTimeout,
    long minBytesPerSecond,
    int attempts,
    Duration firstBackoff) {

  /** Production defaults: 10 s connect, 30 s read, 60 s or 256 KiB/s per call, 3 attempts. */
  public static HttpSettings defaults() {
    return new HttpSettings(
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        256 * 1024,
        3,
        Duration.ofMillis(250));
  }

  /** The whole-call deadline for a body of at most {@code maxLength} bytes. */
  public Duration callTimeout(long maxLength) {
    Duration byRate = Duration.ofMillis(maxLength / Math.max(1, minBytesPerSecond / 1000));
    return byRate.compareTo(minCallTimeout) > 0 ? byRate : minCallTimeout;
  }
}
