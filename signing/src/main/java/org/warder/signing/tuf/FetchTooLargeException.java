package org.warder.signing.tuf;

import java.io.IOException;
import java.net.URI;

/** A response body went past the byte cap of the file being fetched (an endless-data attack). */
public final class FetchTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  public FetchTooLargeException(URI url, long maxLength) {
    super(
        "GET "
            + Urls.redact(url)
            + " sent more than the "
            + maxLength
            + " bytes allowed for it; aborted");
  }
}
