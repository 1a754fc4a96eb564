package org.warder.client.plugin;

/**
 * Base of every checked failure of warder's plugin catalogue, artifacts and publishing: one
 * subclass per condition, each message saying what was expected, what was found, and what to do.
 */
public class PluginException extends Exception {
  private static final long serialVersionUID = 1L;

  public PluginException(String message) {
    super(message);
  }

  public PluginException(String message, Throwable cause) {
    super(message, cause);
  }
}
