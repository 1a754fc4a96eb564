package org.warder.client.plugin;

/** A manifest's artifact_ref disagrees with the commit the requested ref resolves to. */
public final class ArtifactPinMismatchException extends PluginException {
  private static final long serialVersionUID = 1L;

  public ArtifactPinMismatchException(String message) {
    super(Reason.REFUSED, message);
  }

  public ArtifactPinMismatchException(String message, Throwable cause) {
    super(Reason.REFUSED, message, cause);
  }
}
