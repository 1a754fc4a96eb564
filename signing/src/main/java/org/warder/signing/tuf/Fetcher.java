package org.warder.signing.tuf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;

/**
 * The network port of the updater: fetches a URL with a hard byte cap. Implementations must
 * enforce timeouts, count decoded bytes, and never follow the server's {@code Content-Length}
 * past the cap. Implementations are thread-safe.
 */
public interface Fetcher {

  /**
   * Streams the body of {@code url} into {@code sink}.
   *
   * @throws FetchStatusException when the server answers with a status other than 2xx
   * @throws FetchTooLargeException when the body exceeds {@code maxLength} bytes (at most
   *     {@code maxLength + 1} bytes are read)
   */
  void fetch(URI url, long maxLength, OutputStream sink) throws IOException;

  /** The whole body of {@code url}, at most {@code maxLength} bytes. */
  default byte[] fetchBytes(URI url, long maxLength) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    fetch(url, maxLength, out);
    return out.toByteArray();
  }
}
