package org.warder.client.exec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One host command: an argv list (never a shell string), extra environment, an optional stdin, a
 * timeout, and optionally a log file that takes its output instead of warder (for commands that
 * leave a daemon behind, which must not hold warder's pipes open).
 */
public record Command(
    List<String> argv,
    Map<String, String> env,
    Optional<byte[]> stdin,
    Duration timeout,
    Optional<Path> outputLog) {
  public Command {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("a command needs at least a program name");
    }
  }

  /** A command with extra environment, input and timeout, its output captured. */
  public Command(
      List<String> argv, Map<String, String> env, Optional<byte[]> stdin, Duration timeout) {
    this(argv, env, stdin, timeout, Optional.empty());
  }

  /** {@code argv} with no extra environment, no input and a 10-minute timeout. */
  public static Command of(String... argv) {
    return of(List.of(argv));
  }

  /** {@code argv} as a list. */
  public static Command of(List<String> argv) {
    return new Command(argv, Map.of(), Optional.empty(), Duration.ofMinutes(10), Optional.empty());
  }

  /** This command with {@code timeout}. */
  public Command withTimeout(Duration timeout) {
    return new Command(argv, env, stdin, timeout, outputLog);
  }

  /** This command with its stdout and stderr appended to {@code log} and no stdin. */
  public Command withOutputLog(Path log) {
    return new Command(argv, env, Optional.empty(), timeout, Optional.of(log));
  }

  /** The command as a shell-like line for logs and --dry-run plans (display only). */
  public String display() {
    StringBuilder out = new StringBuilder();
    for (String a : argv) {
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(a.matches("[A-Za-z0-9_./:=@%+,-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
    }
    return out.toString();
  }
}
