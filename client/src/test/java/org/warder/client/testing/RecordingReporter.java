package org.warder.client.testing;

import java.util.ArrayList;
import java.util.List;
import org.warder.client.progress.Reporter;

/**
 * A {@link Reporter} that keeps every report as the console would print it: info as it is, {@code
 * warning: } before warnings, two spaces before command output. Thread-safe.
 */
public final class RecordingReporter implements Reporter {
  private final List<String> lines = new ArrayList<>();

  @Override
  public synchronized void info(String message) {
    lines.add(message);
  }

  @Override
  public synchronized void warning(String message) {
    lines.add("warning: " + message);
  }

  @Override
  public synchronized void output(String line) {
    lines.add("  " + line);
  }

  /** Every report so far, oldest first. */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }
}
