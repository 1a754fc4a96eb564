package org.warder.client.bundle;

/**
 * A bundle is damaged, truncated, altered or hostile: a member whose length or sha256 differs from
 * bundle.json, a malformed bundle.json, members missing, extra or out of order, an archive member
 * escaping its tree. Nothing of it was imported.
 */
public final class BadBundleException extends BundleException {
  private static final long serialVersionUID = 1L;

  public BadBundleException(String message) {
    super(Reason.INVALID_INPUT, message);
  }

  public BadBundleException(String message, Throwable cause) {
    super(Reason.INVALID_INPUT, message, cause);
  }
}
