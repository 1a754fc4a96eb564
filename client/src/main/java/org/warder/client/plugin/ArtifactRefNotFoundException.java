package org.warder.client.plugin;

/** A branch, tag or commit named for an artifact is not in its repository. */
public final class ArtifactRefNotFoundException extends PluginException {
  private static final long serialVersionUID = 1L;

  public ArtifactRefNotFoundException(String message) {
    super(Reason.NOT_FOUND, message);
  }

  public ArtifactRefNotFoundException(String message, Throwable cause) {
    super(Reason.NOT_FOUND, message, cause);
  }
}
