package org.warder.signing.tuf;

import java.io.IOException;

/**
 * A verification failure met while reading a stream ({@link ChunkVerifyingInputStream}): an
 * IOException so that it passes through decoders and extractors, carrying the {@link TufException}
 * that says what was expected and what was found.
 */
public final class VerificationIOException extends IOException {
  private static final long serialVersionUID = 1L;
  private final TufException reason;

  public VerificationIOException(TufException reason) {
    super(reason.getMessage(), reason);
    this.reason = reason;
  }

  /** What failed to verify. */
  public TufException reason() {
    return reason;
  }
}
