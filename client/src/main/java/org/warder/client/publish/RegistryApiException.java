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
        reason(status),
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

  /** Refused by authorisation or signature checks, absent, in conflict, or else a failed call. */
  private static Reason reason(int status) {
    return switch (status) {
      case 400, 401, 403, 413 -> Reason.REFUSED;
      case 404 -> Reason.NOT_FOUND;
      case 409 -> Reason.CONFLICT;
      default -> Reason.NETWORK;
    };
  }
}
