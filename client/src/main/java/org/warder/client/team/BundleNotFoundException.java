package org.warder.client.team;

/** The registry publishes no bundle of that kind, team, name (and tag). */
public final class BundleNotFoundException extends TeamBundleException {
  private static final long serialVersionUID = 1L;

  public BundleNotFoundException(String message) {
    super(Reason.NOT_FOUND, message);
  }
}
