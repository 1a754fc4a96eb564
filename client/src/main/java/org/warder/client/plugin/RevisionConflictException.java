package org.warder.client.plugin;

/** A plugin revision is already published with different content. */
public final class RevisionConflictException extends PluginException {
  private static final long serialVersionUID = 1L;

  public RevisionConflictException(String message) {
    super(Reason.CONFLICT, message);
  }

  public RevisionConflictException(String message, Throwable cause) {
    super(Reason.CONFLICT, message, cause);
  }
}
