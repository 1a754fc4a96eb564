package org.warder.signing.tuf;

/** A file holds metadata of another role type than the one requested. */
public final class WrongMetadataTypeException extends TufException {
  private static final long serialVersionUID = 1L;

  public WrongMetadataTypeException(String expected, String found) {
    super(
        "expected "
            + expected
            + " metadata (_type \""
            + expected
            + "\"), found _type \""
            + found
            + "\"");
  }
}
