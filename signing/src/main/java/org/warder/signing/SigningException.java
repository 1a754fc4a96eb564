package org.warder.signing;

/**
 * Base of every checked failure of the signing API: bad keys, bad key files, malformed or
 * non-canonical JSON, and TUF verification failures. Messages say what was expected, what was
 * found, and what to do.
 */
public class SigningException extends Exception {
  private static final long serialVersionUID = 1L;

  public SigningException(String message) {
    super(message);
  }

  public SigningException(String message, Throwable cause) {
    super(message, cause);
  }
}
