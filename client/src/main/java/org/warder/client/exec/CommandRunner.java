package org.warder.client.exec;

import java.io.IOException;

/** Runs one host command. Implementations are safe for concurrent use. */
public interface CommandRunner {
  /** Runs {@code command} and returns its result, whatever its exit code. */
  CommandResult run(Command command) throws IOException, InterruptedException;

  /** Runs {@code command} and fails with {@link CommandFailedException} unless it exits 0. */
  default CommandResult check(Command command) throws IOException, InterruptedException {
    CommandResult result = run(command);
    if (!result.ok()) {
      throw new CommandFailedException(command, result);
    }
    return result;
  }
}
