package org.warder.signing.tuf;

import java.time.Instant;

/** Metadata expired before the update started (a freeze attack, or a stale repository). */
public final class ExpiredMetadataException extends TufException {
  private static final long serialVersionUID = 1L;
  private final transient Instant expires;

  public ExpiredMetadataException(String role, Instant expires, Instant now) {
    super(
        role
            + " metadata expired at "
            + expires
            + " (update started at "
            + now
            + "); the repository must publish fresh metadata");
    this.expires = expires;
  }

  private ExpiredMetadataException(String message, Instant expires) {
    super(message);
    this.expires = expires;
  }

  /** Metadata submitted to a repository that is already expired when it arrives. */
  public static ExpiredMetadataException submitted(String role, Instant expires, Instant now) {
    return new ExpiredMetadataException(
        role
            + " metadata expires at "
            + expires
            + ", which is not after the repository's time "
            + now
            + "; sign it again with a later expiry",
        expires);
  }

  public Instant expires() {
    return expires;
  }
}
