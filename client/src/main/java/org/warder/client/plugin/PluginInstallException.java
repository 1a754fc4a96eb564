package org.warder.client.plugin;

import java.util.List;

/**
 * A plugin install failed at a named step; carries the last lines of that step's output. By the
 * time it is thrown everything the install made has been removed (unless --keep).
 */
public final class PluginInstallException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String step;
  private final List<String> tail;

  public PluginInstallException(String step, String message, List<String> tail, Throwable cause) {
    super(
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
