package org.warder.client.team;

/**
 * A team, bundle name, tag or release cannot be used: it would not be a safe role name, path
 * segment or local jail name.
 */
public final class InvalidBundleNameException extends TeamBundleException {
  private static final long serialVersionUID = 1L;

  public InvalidBundleNameException(String message) {
    super(Reason.INVALID_INPUT, message);
  }
}
