package org.warder.client.team;

/**
 * A team's signed role metadata contradicts warder's bundle conventions (paths, kinds, fields,
 * delegation).
 */
public final class BundleCatalogInconsistencyException extends TeamBundleException {
  private static final long serialVersionUID = 1L;

  public BundleCatalogInconsistencyException(String message) {
    super(Reason.REFUSED, message);
  }
}
