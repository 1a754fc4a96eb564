package org.warder.client.exec;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One host command: an argv list (never a shell string), extra environment, an optional stdin
 * and a timeout.
 */
public record Command(List<String> argv, Map<String, String> env, Optional<byte[]> stdin, Duration timeout) {
  public Command {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("a command needs at least a program name");
    }
  }

  /** {@code argv} with no extra environment, no input and a 10-minute timeout. */
  public static Command of(String... argv) {
    return new Command(List.of(argv), Map.of(), Optional.empty(), Duration.ofMinutes(10));
  }

  /** {@code argv} as a list. */
  public static Command of(List<String> argv) {
    return new Command(argv, Map.of(), Optional.empty(), Duration.ofMinutes(10));
  }

  /** This command with {@code timeout}. */
  public Command withTimeout(Duration timeout) {
    return new Command(argv, env, stdin, timeout);
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
