package org.warder.client.publish;

/**
 * The registry refused a publishing request; carries the registry's error code (see
 * docs/registry-api.md) and its message.
 */
public final class RegistryApiException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;

  public RegistryApiException(int status, String code, String message) {
    super("registry refused the request (HTTP " + status + " " + code + "): " + message);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
