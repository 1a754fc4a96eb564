package org.warder.signing;

/**
 * A JSON document is not acceptable: it does not parse, repeats a key, carries trailing tokens, or
 * holds a value canonical JSON cannot represent (a floating-point number, an unpaired surrogate).
 */
public final class MalformedJsonException extends SigningException {
  private static final long serialVersionUID = 1L;

  public MalformedJsonException(String message) {
    super(message);
  }

  public MalformedJsonException(String message, Throwable cause) {
    super(message, cause);
  }
}
