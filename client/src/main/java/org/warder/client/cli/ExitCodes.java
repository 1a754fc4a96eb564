package org.warder.client.cli;

import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;

/**
 * Exit codes of {@code warder}, stable for scripts: 0 success, 1 the operation failed (a
 * verification, network or host error; the reason is one line on stderr), 2 the command line was
 * wrong, 77 (sysexits' EX_NOPERM) the command needs privileges warder was not given: root, or a
 * token role or delegation in the registry. {@code warder tuf} follows the TUF conformance CLI and
 * uses 1 for every failure.
 *
 * <p>This class is the one place that decides how a failure ends {@code warder}: {@link
 * #of(Throwable)} maps a {@link ClientException}'s {@link Reason} to an exit code and the prefix of
 * its line on stderr, {@link #usage} does the same for a refused command line. Every reason but
 * {@link Reason#PRIVILEGE} is a failure (exit 1, {@code "warder: "}); a new reason does not compile
 * until it is given its row here.
 */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;
  public static final int NO_PERMISSION = 77;

  /** How a failed command ends: its exit code and what its one line on stderr starts with. */
  public record Failure(int code, String prefix) {}

  private static final Failure FAILED = new Failure(FAILURE, "warder: ");
  private static final Failure BAD_COMMAND_LINE = new Failure(USAGE, "warder: ");
  private static final Failure NOT_PERMITTED = new Failure(NO_PERMISSION, "warder: ");

  private ExitCodes() {}

  /** How a failure for {@code reason} ends {@code warder}. */
  public static Failure of(Reason reason) {
    return switch (reason) {
      case INVALID_INPUT, NOT_FOUND, CONFLICT, REFUSED, HOST, NETWORK -> FAILED;
      case PRIVILEGE -> NOT_PERMITTED;
    };
  }

  /**
   * How {@code failure}, thrown by a command, ends {@code warder}: by its reason when it is a
   * {@link ClientException}; any other exception (an I/O error, a bug) is a plain failure.
   */
  public static Failure of(Throwable failure) {
    return failure instanceof ClientException e ? of(e.reason()) : FAILED;
  }

  /**
   * How a command line picocli refused ends {@code warder}: exit 2, except under {@code warder tuf}
   * whose conformance CLI has 1 for every failure.
   */
  public static Failure usage(boolean tuf) {
    return tuf ? FAILED : BAD_COMMAND_LINE;
  }
}
