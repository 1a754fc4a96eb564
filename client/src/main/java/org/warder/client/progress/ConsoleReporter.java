package org.warder.client.progress;

import java.io.PrintWriter;

/**
 * Reports on the console: info as it is, warnings prefixed {@code warning:}, command output
 * indented by two spaces; every line flushed, so long runs show progress. Not thread-safe.
 */
public final class ConsoleReporter implements Reporter {
  private final PrintWriter out;

  public ConsoleReporter(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void info(String message) {
    out.println(message);
    out.flush();
  }

  @Override
  public void warning(String message) {
    out.println("warning: " + message);
    out.flush();
  }

  @Override
  public void output(String line) {
    out.println("  " + line);
    out.flush();
  }
}
