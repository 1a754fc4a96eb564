package org.warder.client.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandFailedException;
import org.warder.client.exec.CommandResult;
import org.warder.client.exec.CommandRunner;

/**
 * A {@link CommandRunner} for FreeBSD-only commands on Linux: records every argv and answers from a
 * script; nothing runs. Thread-safe.
 */
public final class RecordingCommandRunner implements CommandRunner {
  private final List<List<String>> commands = new ArrayList<>();
  private final Function<List<String>, CommandResult> script;

  /** Answers every command with {@code script}'s result. */
  public RecordingCommandRunner(Function<List<String>, CommandResult> script) {
    this.script = script;
  }

  /** Every command exits 0 with no output. */
  public static RecordingCommandRunner succeeding() {
    return new RecordingCommandRunner(argv -> new CommandResult(0, "", ""));
  }

  @Override
  public synchronized CommandResult run(Command command) {
    commands.add(command.argv());
    return script.apply(command.argv());
  }

  @Override
  public <T, E extends Exception> T stream(Command command, OutputReader<T, E> reader)
      throws IOException, E {
    CommandResult result = run(command);
    T value =
        reader.read(
            new ByteArrayInputStream(
                result.stdout().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
    if (!result.ok()) {
      throw new CommandFailedException(command, result);
    }
    return value;
  }

  @Override
  public <T, E extends Exception> T feed(Command command, InputWriter<T, E> writer)
      throws IOException, E {
    T value = writer.write(java.io.OutputStream.nullOutputStream());
    CommandResult result = run(command);
    if (!result.ok()) {
      throw new CommandFailedException(command, result);
    }
    return value;
  }

  /** Runs the writer to its end first, then the command as {@link #stream} does. */
  @Override
  public <T, E extends Exception> T filter(
      Command command, InputWriter<?, IOException> writer, OutputReader<T, E> reader)
      throws IOException, E {
    writer.write(java.io.OutputStream.nullOutputStream());
    return stream(command, reader);
  }

  @Override
  public int attached(Command command) throws IOException {
    return run(command).exitCode();
  }

  @Override
  public void pipe(Command producer, Command consumer) throws IOException {
    CommandResult left = run(producer);
    CommandResult right = run(consumer);
    if (!left.ok()) {
      throw new CommandFailedException(producer, left);
    }
    if (!right.ok()) {
      throw new CommandFailedException(consumer, right);
    }
  }

  /** The argv lists run so far, in order. */
  public synchronized List<List<String>> commands() {
    return List.copyOf(commands);
  }
}
