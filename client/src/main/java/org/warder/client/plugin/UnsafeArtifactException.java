package org.warder.client.plugin;

/**
 * An artifact's tree has an entry that cannot be written safely (escaping symlink, '..', '.git',
 * submodule).
 */
public final class UnsafeArtifactException extends PluginException {
  private static final long serialVersionUID = 1L;

  public UnsafeArtifactException(String message) {
    super(Reason.REFUSED, message);
  }

  public UnsafeArtifactException(String message, Throwable cause) {
    super(Reason.REFUSED, message, cause);
  }
}
