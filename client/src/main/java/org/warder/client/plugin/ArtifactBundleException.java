package org.warder.client.plugin;

/** A git bundle cannot be read, or does not hold the pinned commit. */
public final class ArtifactBundleException extends PluginException {
  private static final long serialVersionUID = 1L;

  public ArtifactBundleException(String message) {
    super(Reason.INVALID_INPUT, message);
  }

  public ArtifactBundleException(String message, Throwable cause) {
    super(Reason.INVALID_INPUT, message, cause);
  }
}
