package org.warder.client.release;

/** A release cannot be fetched, listed or destroyed; the message says why and what to do. */
public final class ReleaseException extends Exception {
  private static final long serialVersionUID = 1L;

  public ReleaseException(String message) {
    super(message);
  }

  public ReleaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
