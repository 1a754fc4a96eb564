package org.warder.signing.tuf;

/** Downloaded bytes do not have the signed length or hash. */
public final class DigestMismatchException extends TufException {
  private static final long serialVersionUID = 1L;
  private final String expected;
  private final String found;

  public DigestMismatchException(String what, String property, String expected, String found) {
    super(what + ": expected " + property + " " + expected + ", found " + found);
    this.expected = expected;
    this.found = found;
  }

  public String expected() {
    return expected;
  }

  public String found() {
    return found;
  }
}
