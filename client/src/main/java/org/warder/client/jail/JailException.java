package org.warder.client.jail;

/** A jail operation cannot be done: unknown jail, wrong state, dependants, bad input. */
public final class JailException extends Exception {
  private static final long serialVersionUID = 1L;

  public JailException(String message) {
    super(message);
  }

  public JailException(String message, Throwable cause) {
    super(message, cause);
  }
}
