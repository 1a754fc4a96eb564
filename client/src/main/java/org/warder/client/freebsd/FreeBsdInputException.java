package org.warder.client.freebsd;

import org.warder.client.ClientException;

/**
 * A value refused before it reaches a FreeBSD file or argv: a repository name that would escape its
 * directory, a kernel module given as a path, a devfs rule or package name that would read as an
 * option, malformed {@code jls} output. The message says what was expected and what was found.
 */
public final class FreeBsdInputException extends ClientException {
  private static final long serialVersionUID = 1L;
  private final String what;

  FreeBsdInputException(String what, String message) {
    super(Reason.INVALID_INPUT, message);
    this.what = what;
  }

  /** What was refused, e.g. "pkg repository name", "kernel module", "jls output". */
  public String what() {
    return what;
  }
}
