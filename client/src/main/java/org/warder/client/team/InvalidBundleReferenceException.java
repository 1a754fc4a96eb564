package org.warder.client.team;

/** A bundle reference is not of the form {@code [REPO:]TEAM/NAME[:TAG]}. */
public final class InvalidBundleReferenceException extends TeamBundleException {
  private static final long serialVersionUID = 1L;

  public InvalidBundleReferenceException(String message) {
    super(Reason.INVALID_INPUT, message);
  }
}
