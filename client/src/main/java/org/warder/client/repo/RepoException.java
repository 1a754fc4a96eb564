package org.warder.client.repo;

/** A repository operation cannot be done: unknown or duplicate name, bad pin, unreachable. */
public final class RepoException extends Exception {
  private static final long serialVersionUID = 1L;

  public RepoException(String message) {
    super(message);
  }

  public RepoException(String message, Throwable cause) {
    super(message, cause);
  }
}
