package org.warder.client.plugin;

/** An artifact repository cannot be read or cloned. */
public final class ArtifactSourceException extends PluginException {
  private static final long serialVersionUID = 1L;

  public ArtifactSourceException(String message) {
    super(Reason.INVALID_INPUT, message);
  }

  public ArtifactSourceException(String message, Throwable cause) {
    super(Reason.INVALID_INPUT, message, cause);
  }
}
