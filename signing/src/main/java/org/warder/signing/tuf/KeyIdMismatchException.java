package org.warder.signing.tuf;

/** A key is listed under a keyid that is not the sha256 of its canonical form. */
public final class KeyIdMismatchException extends TufException {
  private static final long serialVersionUID = 1L;

  public KeyIdMismatchException(String role, String declared, String computed) {
    super(
        role
            + " metadata lists a key under keyid "
            + declared
            + ", but that key's keyid is "
            + computed
            + "; refusing the metadata");
  }
}
