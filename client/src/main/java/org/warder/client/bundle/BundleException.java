package org.warder.client.bundle;

/**
 * Base of every checked failure of export and import: a bundle that is not what it claims, a jail
 * that cannot be exported as asked, an import that would clash with this host. Messages say what
 * was expected, what was found and what to do.
 */
public class BundleException extends Exception {
  private static final long serialVersionUID = 1L;

  public BundleException(String message) {
    super(message);
  }

  public BundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
