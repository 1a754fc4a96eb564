package org.warder.signing.tuf;

/** New metadata would take the client back to older versions than it already trusts. */
public final class RollbackException extends TufException {
  private static final long serialVersionUID = 1L;

  public RollbackException(String message) {
    super(message + "; refusing a rollback, the trusted metadata is kept");
  }
}
