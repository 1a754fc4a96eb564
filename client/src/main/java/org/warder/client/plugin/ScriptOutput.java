package org.warder.client.plugin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.warder.client.exec.CommandResult;
import org.warder.client.progress.Reporter;

/**
 * The output of what a plugin install or update runs in its jail (pkg, the plugin's scripts): each
 * line reported as it comes, the last lines kept for the error message of a failed step. Not
 * thread-safe: one per install or update.
 */
final class ScriptOutput {
  private static final int TAIL = 10;
  private final Deque<String> lines = new ArrayDeque<>();

  /** A sink that reports each line to {@code reporter} and keeps the last ones. */
  OutputStream sink(Reporter reporter) {
    return new OutputStream() {
      private final ByteArrayOutputStream line = new ByteArrayOutputStream();

      @Override
      public void write(int b) {
        if (b == '\n') {
          String text = line.toString(StandardCharsets.UTF_8);
          line.reset();
          reporter.output(text);
          keep(text);
        } else {
          line.write(b);
        }
      }
    };
  }

  /** Fails unless {@code result} is a success; its stderr joins the kept lines. */
  void check(CommandResult result) throws IOException {
    if (!result.ok()) {
      result.stderr().lines().forEach(this::keep);
      throw new IOException("exited with status " + result.exitCode());
    }
  }

  /** The last lines of output, oldest first. */
  List<String> tail() {
    return List.copyOf(lines);
  }

  private void keep(String line) {
    lines.addLast(line);
    while (lines.size() > TAIL) {
      lines.removeFirst();
    }
  }
}
