package org.warder.client.bundle;

import org.warder.client.ClientException;

/**
 * Base of every checked failure of export and import: a bundle that is not what it claims, a jail
 * that cannot be exported as asked, an import that would clash with this host. Messages say what
 * was expected, what was found and what to do.
 */
public class BundleException extends ClientException {
  private static final long serialVersionUID = 1L;

  public BundleException(Reason reason, String message) {
    super(reason, message);
  }

  public BundleException(Reason reason, String message, Throwable cause) {
    super(reason, message, cause);
  }
}
