package org.warder.signing.tuf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;

/**
 * The network port of the updater: fetches a URL with a hard byte cap. Implementations must enforce
 * timeouts, count decoded bytes, and never follow the server's {@code Content-Length} past the cap.
 * An implementation that retries until a deadline throws {@link FetchGaveUpException} when it has
 * passed. Implementations are thread-safe.
 */
public interface Fetcher {

  /**
   * Streams the body of {@code url} into {@code sink}.
   *
   * @throws FetchStatusException when the server answers with a status other than 2xx
   * @throws FetchTooLargeException when the body exceeds {@code maxLength} bytes (at most {@code
   *     maxLength + 1} bytes are read)
   */
  void fetch(URI url, long maxLength, OutputStream sink) throws IOException;

  /**
   * Streams the body of {@code url} from byte {@code offset} on (an HTTP range request), at most
   * {@code maxLength - offset} bytes. The default fetches the whole body and drops the first {@code
   * offset} bytes; adapters that can ask for a range override it.
   */
  default void fetchFrom(URI url, long offset, long maxLength, OutputStream sink)
      throws IOException {
    if (offset == 0) {
      fetch(url, maxLength, sink);
      return;
    }
    fetch(
        url,
        maxLength,
        new OutputStream() {
          private long skipped;

          @Override
          public void write(int b) throws IOException {
            if (skipped < offset) {
              skipped++;
            } else {
              sink.write(b);
            }
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            int skip = (int) Math.min(len, offset - skipped);
            skipped += skip;
            if (len > skip) {
              sink.write(b, off + skip, len - skip);
            }
          }
        });
  }

  /**
   * {@link #fetchFrom} in a single attempt: a failure another attempt could fix (a connection
   * failure, a 5xx) is thrown at once as a {@link FetchGaveUpException} caused by it, for a caller
   * that rotates among mirrors and paces its rounds with {@link #retries()}. The default is {@link
   * #fetchFrom}, for fetchers that do not retry.
   */
  default void fetchOnce(URI url, long offset, long maxLength, OutputStream sink)
      throws IOException {
    fetchFrom(url, offset, maxLength, sink);
  }

  /**
   * The retries this fetcher gives one request, starting now: its pauses and its deadline. The
   * default retries nothing.
   */
  default RetrySchedule retries() {
    return RetrySchedule.NONE;
  }

  /** The whole body of {@code url}, at most {@code maxLength} bytes. */
  default byte[] fetchBytes(URI url, long maxLength) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    fetch(url, maxLength, out);
    return out.toByteArray();
  }
}
