package org.warder.client.plugin;

/**
 * A plugin manifest asks for more than a plugin gets by default (devices, kernel modules, jail
 * properties that weaken the jail) and the administrator did not allow it; nothing was made.
 */
public final class ManifestNotAllowedException extends PluginException {
  private static final long serialVersionUID = 1L;

  public ManifestNotAllowedException(String message) {
    super(Reason.REFUSED, message);
  }
}
