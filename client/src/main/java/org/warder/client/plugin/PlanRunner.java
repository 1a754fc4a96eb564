package org.warder.client.plugin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandResult;
import org.warder.client.exec.CommandRunner;

/**
 * The {@code --dry-run} runner: records every command it is given instead of running it, and
 * answers as if it succeeded with no output. The adapters that build argv are the same as for a
 * real run, so the plan shows exactly what would run. Not thread-safe.
 */
public final class PlanRunner implements CommandRunner {
  private final List<String> lines = new ArrayList<>();

  @Override
  public CommandResult run(Command command) {
    lines.add(command.display());
    return new CommandResult(0, "", "");
  }

  @Override
  public <T, E extends Exception> T stream(Command command, OutputReader<T, E> reader)
      throws IOException, E {
    lines.add(command.display());
    return reader.read(new ByteArrayInputStream(new byte[0]));
  }

  @Override
  public <T, E extends Exception> T feed(Command command, InputWriter<T, E> writer)
      throws IOException, E {
    lines.add(command.display() + " < (stream)");
    return writer.write(OutputStream.nullOutputStream());
  }

  @Override
  public void pipe(Command producer, Command consumer) {
    lines.add(producer.display() + " | " + consumer.display());
  }

  /** Records a step that is not a command (a file written, an artifact checked out). */
  public void note(String line) {
    lines.add("# " + line);
  }

  /** Everything recorded, in order. */
  public List<String> lines() {
    return List.copyOf(lines);
  }
}
