package org.warder.signing.tuf;

import org.warder.signing.SigningException;

/**
 * Base of every TUF verification failure. Each subclass is one condition; its message names the
 * role or file, what was expected and what was found. After any of them the trusted metadata is
 * unchanged.
 */
public abstract class TufException extends SigningException {
  private static final long serialVersionUID = 1L;

  protected TufException(String message) {
    super(message);
  }

  protected TufException(String message, Throwable cause) {
    super(message, cause);
  }
}
