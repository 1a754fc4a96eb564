package org.warder.signing.tuf;

import java.io.IOException;

/**
 * A fetcher retried a request until its deadline and gave up: asking again at once is pointless,
 * another mirror may answer.
 */
public final class FetchGaveUpException extends IOException {
  private static final long serialVersionUID = 1L;

  public FetchGaveUpException(String message, Exception last) {
    super(message, last);
  }
}
