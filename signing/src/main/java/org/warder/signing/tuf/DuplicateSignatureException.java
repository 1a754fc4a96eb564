package org.warder.signing.tuf;

/** Metadata carries more than one signature with the same keyid (a threshold inflation attempt). */
public final class DuplicateSignatureException extends TufException {
  private static final long serialVersionUID = 1L;

  public DuplicateSignatureException(String keyid) {
    super(
        "metadata carries several signatures with keyid "
            + keyid
            + "; expected at most one per key, refusing the whole document");
  }
}
