package org.warder.client.plugin;

/** A plugin id or publisher name cannot be used as a role name or target path segment. */
public final class InvalidPluginNameException extends PluginException {
  private static final long serialVersionUID = 1L;

  public InvalidPluginNameException(String message) {
    super(Reason.INVALID_INPUT, message);
  }

  public InvalidPluginNameException(String message, Throwable cause) {
    super(Reason.INVALID_INPUT, message, cause);
  }
}
