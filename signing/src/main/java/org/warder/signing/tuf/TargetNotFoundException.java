package org.warder.signing.tuf;

/** No role trusted for a target path describes that target. */
public final class TargetNotFoundException extends TufException {
  private static final long serialVersionUID = 1L;

  public TargetNotFoundException(String path) {
    super(
        "target "
            + path
            + " is not described by any role trusted for its path; check the name,"
            + " or ask the repository owner whether it is published");
  }
}
