package org.warder.client.plugin;

/** Several publishers list a plugin with the id asked for; the caller must say which (P/id). */
public final class AmbiguousPluginException extends PluginException {
  private static final long serialVersionUID = 1L;

  public AmbiguousPluginException(String message) {
    super(Reason.CONFLICT, message);
  }

  public AmbiguousPluginException(String message, Throwable cause) {
    super(Reason.CONFLICT, message, cause);
  }
}
