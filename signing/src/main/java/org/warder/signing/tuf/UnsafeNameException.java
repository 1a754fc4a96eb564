package org.warder.signing.tuf;

/** A role or target name could escape the client's directories or the repository's URL space. */
public final class UnsafeNameException extends TufException {
  private static final long serialVersionUID = 1L;

  public UnsafeNameException(String what, String name, String why) {
    super("refusing " + what + " name \"" + name.replace("\0", "\\0") + "\": " + why);
  }
}
