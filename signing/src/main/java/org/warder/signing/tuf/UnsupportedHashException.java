package org.warder.signing.tuf;

/** A file's signed hashes name no algorithm warder can check, or one it does not know. */
public final class UnsupportedHashException extends TufException {
  private static final long serialVersionUID = 1L;

  public UnsupportedHashException(String what, String detail) {
    super(what + ": " + detail + "; expected sha256, sha384 or sha512 hashes only");
  }
}
