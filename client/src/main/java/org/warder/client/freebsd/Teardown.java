package org.warder.client.freebsd;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandResult;
import org.warder.client.exec.CommandRunner;

/**
 * What a start created on the host so far, as the commands that remove it: run in reverse order
 * when a later step fails, so that a failed start leaves nothing behind. Not thread-safe.
 */
public final class Teardown {
  private final List<List<String>> undo = new ArrayList<>();

  /** Remembers that {@code argv} removes something just created; returns its position. */
  public int add(List<String> argv) {
    undo.add(List.copyOf(argv));
    return undo.size() - 1;
  }

  /** Replaces the command at {@code position} (the thing was renamed). */
  public void replace(int position, List<String> argv) {
    undo.set(position, List.copyOf(argv));
  }

  /**
   * Runs every remembered command, the newest first, each even if an earlier one failed; returns
   * what failed ({@code ''cmd' exited with status N: output'}), empty when everything went.
   */
  public List<String> run(CommandRunner runner) throws InterruptedException {
    List<String> failures = new ArrayList<>();
    for (int i = undo.size() - 1; i >= 0; i--) {
      Command command = Command.of(undo.get(i));
      try {
        CommandResult r = runner.run(command);
        if (!r.ok()) {
          failures.add(
              "'"
                  + command.display()
                  + "' exited with status "
                  + r.exitCode()
                  + ": "
                  + (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip());
        }
      } catch (IOException e) {
        failures.add("'" + command.display() + "' could not run: " + e.getMessage());
      }
    }
    undo.clear();
    return failures;
  }
}
