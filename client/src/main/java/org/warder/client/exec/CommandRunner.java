package org.warder.client.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Runs one host command. Implementations are safe for concurrent use. */
public interface CommandRunner {
  /** Runs {@code command} and returns its result, whatever its exit code. */
  CommandResult run(Command command) throws IOException, InterruptedException;

  /**
   * Runs {@code command} attached to this process's terminal (standard input, output and error
   * inherited: an interactive shell) and returns its exit status.
   */
  int attached(Command command) throws IOException, InterruptedException;

  /** Reads a running command's standard output. */
  @FunctionalInterface
  interface OutputReader<T, E extends Exception> {
    T read(InputStream stdout) throws IOException, E;
  }

  /**
   * Runs {@code command} while {@code reader} consumes its standard output as a stream (for output
   * too large to hold, like a decompressed release). Fails with {@link CommandFailedException}
   * unless the command exits 0; if the reader fails, the command is killed.
   */
  <T, E extends Exception> T stream(Command command, OutputReader<T, E> reader)
      throws IOException, InterruptedException, E;

  /** Writes a running command's standard input. */
  @FunctionalInterface
  interface InputWriter<T, E extends Exception> {
    T write(OutputStream stdin) throws IOException, E;
  }

  /**
   * Runs {@code command} while {@code writer} feeds its standard input as a stream (a {@code zfs
   * receive} of a bundle member); the input is closed when the writer returns. Fails with {@link
   * CommandFailedException} unless the command exits 0; if the writer fails, the command is killed,
   * so that a receive of a refused stream never completes. A command that stops reading and exits
   * non-zero (zfs receive refusing a stream) fails with {@link CommandFailedException} carrying its
   * own message, not the writer's "Broken pipe".
   */
  <T, E extends Exception> T feed(Command command, InputWriter<T, E> writer)
      throws IOException, InterruptedException, E;

  /**
   * Runs {@code command} between a writer and a reader (a decoder between a download and an
   * extraction): {@code writer} feeds its standard input from another thread, closed when the
   * writer returns, while {@code reader} consumes its standard output. Fails with {@link
   * CommandFailedException} unless the command exits 0. When the writer fails, the command is
   * killed at once and the writer's failure is thrown (the reader's, which the kill causes,
   * suppressed in it); when the reader fails first, the command is killed and the reader's failure
   * is thrown.
   */
  <T, E extends Exception> T filter(
      Command command, InputWriter<?, IOException> writer, OutputReader<T, E> reader)
      throws IOException, InterruptedException, E;

  /**
   * Runs {@code producer | consumer} (for example {@code zfs send | zfs receive}) without a shell;
   * fails with {@link CommandFailedException} naming whichever side failed.
   */
  void pipe(Command producer, Command consumer) throws IOException, InterruptedException;

  /**
   * Runs {@code command} with its standard output copied to {@code sink} as it comes (a script's
   * live output); returns its result whatever its exit code (stdout empty: it went to the sink).
   */
  default CommandResult streamTo(Command command, OutputStream sink)
      throws IOException, InterruptedException {
    try {
      return stream(
          command,
          stdout -> {
            stdout.transferTo(sink);
            return new CommandResult(0, "", "");
          });
    } catch (CommandFailedException e) {
      return e.result();
    }
  }

  /** Runs {@code command} and fails with {@link CommandFailedException} unless it exits 0. */
  default CommandResult check(Command command) throws IOException, InterruptedException {
    CommandResult result = run(command);
    if (!result.ok()) {
      throw new CommandFailedException(command, result);
    }
    return result;
  }
}
