package org.warder.client.team;

/** An incremental bundle's base tag is not published, so the bundle cannot be applied. */
public final class BaseBundleNotFoundException extends TeamBundleException {
  private static final long serialVersionUID = 1L;

  public BaseBundleNotFoundException(String message) {
    super(Reason.NOT_FOUND, message);
  }
}
