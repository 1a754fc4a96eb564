package org.warder.client.bundle.iocage;

import org.warder.client.bundle.BundleException;

/**
 * An iocage export whose config.json says something warder cannot represent: a value of a property
 * warder has that its type refuses, or a jail type warder does not know. The message names the key.
 * Nothing of the export was imported.
 */
public final class UnsupportedIocageConfigException extends BundleException {
  private static final long serialVersionUID = 1L;
  private final String key;

  UnsupportedIocageConfigException(String key, String message, Throwable cause) {
    super(Reason.INVALID_INPUT, message, cause);
    this.key = key;
  }

  /** The config.json key concerned. */
  public String key() {
    return key;
  }
}
