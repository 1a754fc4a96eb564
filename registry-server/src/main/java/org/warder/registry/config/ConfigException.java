package org.warder.registry.config;

/** A configuration value that is missing or invalid; the message says which and what to do. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
