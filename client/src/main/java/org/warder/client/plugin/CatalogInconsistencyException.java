package org.warder.client.plugin;

/** Signed catalogue documents contradict warder's plugin conventions (paths, kinds, pins). */
public final class CatalogInconsistencyException extends PluginException {
  private static final long serialVersionUID = 1L;

  public CatalogInconsistencyException(String message) {
    super(Reason.INVALID_INPUT, message);
  }

  public CatalogInconsistencyException(String message, Throwable cause) {
    super(Reason.INVALID_INPUT, message, cause);
  }
}
