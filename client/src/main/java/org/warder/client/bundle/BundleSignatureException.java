package org.warder.client.bundle;

/**
 * A bundle's detached signature is missing where one is required, malformed, made by a key this
 * host does not trust, or does not match the bundle.
 */
public final class BundleSignatureException extends BundleException {
  private static final long serialVersionUID = 1L;

  public BundleSignatureException(String message) {
    super(Reason.REFUSED, message);
  }

  public BundleSignatureException(String message, Throwable cause) {
    super(Reason.REFUSED, message, cause);
  }
}
