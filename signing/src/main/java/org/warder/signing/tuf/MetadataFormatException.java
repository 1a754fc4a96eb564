package org.warder.signing.tuf;

/** Metadata is not well-formed TUF: a field is missing, of the wrong type, or out of range. */
public final class MetadataFormatException extends TufException {
  private static final long serialVersionUID = 1L;

  public MetadataFormatException(String message) {
    super(message);
  }

  public MetadataFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
