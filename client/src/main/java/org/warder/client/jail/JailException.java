package org.warder.client.jail;

import org.warder.client.ClientException;

/**
 * A jail operation cannot be done: unknown jail ({@link Reason#NOT_FOUND}), wrong state or a name
 * taken ({@link Reason#CONFLICT}), bad input ({@link Reason#INVALID_INPUT}).
 */
public final class JailException extends ClientException {
  private static final long serialVersionUID = 1L;

  public JailException(Reason reason, String message) {
    super(reason, message);
  }

  public JailException(Reason reason, String message, Throwable cause) {
    super(reason, message, cause);
  }

  /** Input that is not what was expected ({@link Reason#INVALID_INPUT}). */
  public JailException(String message) {
    super(Reason.INVALID_INPUT, message);
  }

  /** Input that is not what was expected ({@link Reason#INVALID_INPUT}), found by {@code cause}. */
  public JailException(String message, Throwable cause) {
    super(Reason.INVALID_INPUT, message, cause);
  }
}
