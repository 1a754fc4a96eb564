package org.warder.client.plugin;

import org.warder.client.ClientException;

/**
 * Base of every checked failure of warder's plugin catalogue, artifacts and publishing: one
 * subclass per condition, each message saying what was expected, what was found, and what to do.
 */
public class PluginException extends ClientException {
  private static final long serialVersionUID = 1L;

  public PluginException(Reason reason, String message) {
    super(reason, message);
  }

  public PluginException(Reason reason, String message, Throwable cause) {
    super(reason, message, cause);
  }
}
