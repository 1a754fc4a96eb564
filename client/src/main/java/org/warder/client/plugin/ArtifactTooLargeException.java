package org.warder.client.plugin;

/** An artifact's tree exceeds the size or entry-count limit of a checkout. */
public final class ArtifactTooLargeException extends PluginException {
  private static final long serialVersionUID = 1L;

  public ArtifactTooLargeException(String message) {
    super(Reason.REFUSED, message);
  }

  public ArtifactTooLargeException(String message, Throwable cause) {
    super(Reason.REFUSED, message, cause);
  }
}
