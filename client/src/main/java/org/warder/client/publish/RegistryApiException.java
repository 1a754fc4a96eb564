package org.warder.client.publish;

import org.warder.client.ClientException;

/**
 * The registry refused a publishing request; carries the registry's error code (see
 * docs/registry-api.md) and its message.
 */
public final class RegistryApiException extends ClientException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;

  public RegistryApiException(int status, String code, String message) {
    super(
        Reason.NETWORK,
        "registry refused the request (HTTP " + status + " " + code + "): " + message);
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
