package org.warder.client.team;

/**
 * An incremental bundle's base tag is published in another format, so the difference cannot apply
 * to it.
 */
public final class IncompatibleBaseException extends TeamBundleException {
  private static final long serialVersionUID = 1L;

  public IncompatibleBaseException(String message) {
    super(Reason.CONFLICT, message);
  }
}
