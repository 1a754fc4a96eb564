package org.warder.signing.tuf;

import java.io.IOException;

/**
 * A request failed in a way another attempt could fix, and the fetcher made no more attempts: its
 * retry deadline passed, or the caller asked for one attempt ({@link Fetcher#fetchOnce}). Asking
 * the same server again at once is pointless; another mirror may answer, or this one later.
 */
public final class FetchGaveUpException extends IOException {
  private static final long serialVersionUID = 1L;

  public FetchGaveUpException(String message, Exception last) {
    super(message, last);
  }
}
