package org.warder.client.team;

/**
 * Following the base tags of an incremental bundle leads back to a tag already seen instead of to a
 * full bundle.
 */
public final class BundleChainCycleException extends TeamBundleException {
  private static final long serialVersionUID = 1L;

  public BundleChainCycleException(String message) {
    super(Reason.REFUSED, message);
  }
}
