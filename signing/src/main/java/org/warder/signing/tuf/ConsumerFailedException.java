package org.warder.signing.tuf;

import java.io.IOException;

/**
 * What a download hands its verified bytes to (a decoder, an extractor) failed: no other attempt or
 * mirror can help, so the download stops at once with the consumer's failure, keeping the bytes it
 * has on disk for the next run.
 */
final class ConsumerFailedException extends IOException {
  private static final long serialVersionUID = 1L;

  ConsumerFailedException(IOException failure) {
    super(failure.getMessage(), failure);
  }

  /** The consumer's own failure. */
  IOException failure() {
    return (IOException) getCause();
  }
}
