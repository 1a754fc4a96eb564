package org.warder.signing.tuf;

/** Metadata that must be listed or delegated is not (a role missing from snapshot, say). */
public final class MissingMetadataException extends TufException {
  private static final long serialVersionUID = 1L;

  public MissingMetadataException(String message) {
    super(message);
  }
}
