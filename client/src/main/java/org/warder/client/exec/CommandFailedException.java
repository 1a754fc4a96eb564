package org.warder.client.exec;

import java.io.IOException;

/** A host command exited with a non-zero status; the message carries its last lines of output. */
public final class CommandFailedException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient CommandResult result;

  public CommandFailedException(Command command, CommandResult result) {
    super("'" + command.display() + "' exited with status " + result.exitCode() + tail(result));
    this.result = result;
  }

  public CommandResult result() {
    return result;
  }

  private static String tail(CommandResult r) {
    String text = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip();
    if (text.isEmpty()) {
      return "";
    }
    String[] lines = text.split("\\R");
    int from = Math.max(0, lines.length - 5);
    return ": " + String.join(" | ", java.util.Arrays.copyOfRange(lines, from, lines.length));
  }
}
