package org.warder.client.plugin;

/** No published INDEX lists the plugin asked for. */
public final class PluginNotFoundException extends PluginException {
  private static final long serialVersionUID = 1L;

  public PluginNotFoundException(String message) {
    super(Reason.NOT_FOUND, message);
  }

  public PluginNotFoundException(String message, Throwable cause) {
    super(Reason.NOT_FOUND, message, cause);
  }
}
