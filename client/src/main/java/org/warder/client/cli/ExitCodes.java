package org.warder.client.cli;

/**
 * Exit codes of {@code warder}, stable for scripts: 0 success, 1 the operation failed (a
 * verification, network or host error; the reason is one line on stderr), 2 the command line was
 * wrong. {@code warder tuf} follows the TUF conformance CLI and uses 1 for every failure.
 */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;

  private ExitCodes() {}
}
