package org.warder.client.plugin;

import java.util.List;
import org.warder.client.ClientException;

/**
 * A plugin install or update failed at a named step; carries the last lines of that step's output.
 * By the time it is thrown the completed steps have been undone (unless --keep). Its reason is the
 * failure's.
 */
public final class PluginInstallException extends ClientException {
  private static final long serialVersionUID = 1L;
  private final String step;
  private final List<String> tail;

  public PluginInstallException(String step, String message, List<String> tail, Throwable cause) {
    super(
        cause instanceof ClientException c ? c.reason() : Reason.HOST,
        "plugin install failed at step '"
            + step
            + "': "
            + message
            + (tail.isEmpty() ? "" : " | last output: " + String.join(" | ", tail)),
        cause);
    this.step = step;
    this.tail = List.copyOf(tail);
  }

  public String step() {
    return step;
  }

  public List<String> tail() {
    return tail;
  }
}
