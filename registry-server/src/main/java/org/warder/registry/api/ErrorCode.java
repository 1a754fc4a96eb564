package org.warder.registry.api;

/**
 * Every error condition of the registry's HTTP API, with its HTTP status. The code is the {@code
 * code} of the JSON error body; docs/registry-api.md lists them.
 */
public enum ErrorCode {
  /** No token, or an unknown or revoked token. */
  UNAUTHORIZED(401),
  /** The token may not publish the role concerned. */
  DENIED(403),
  /** No such API endpoint. */
  NOT_FOUND(404),
  /** No such upload session (never created, committed, cancelled or purged). */
  UPLOAD_UNKNOWN(404),
  /** Another request is writing to the same upload session. */
  UPLOAD_BUSY(409),
  /** A chunk does not start at the session's current offset, or its range is malformed. */
  RANGE_INVALID(416),
  /**
   * A chunk could not be stored (the registry's disk is full, its store fails): none of its bytes
   * was kept, the session is back at the chunk's start.
   */
  UPLOAD_NOT_STORED(507),
  /** Committed bytes do not have the declared sha256. */
  DIGEST_INVALID(400),
  /** Committed bytes do not have the declared length, or exceed the size limit. */
  SIZE_INVALID(400),
  /** Submitted metadata is not valid TUF targets metadata. */
  METADATA_INVALID(400),
  /** No role delegates to the submitted role. */
  ROLE_UNKNOWN(404),
  /** Not signed by a threshold of the keys the delegation names. */
  SIGNATURE_INVALID(400),
  /**
   * A delegation in the submitted metadata has a path pattern 'warder-registry delegate' would
   * refuse.
   */
  PATTERN_INVALID(400),
  /** A target path lies outside the role's delegated paths. */
  PATH_NOT_DELEGATED(400),
  /** A listed target has no blob with its length and sha256. */
  BLOB_UNKNOWN(400),
  /** The version is not greater than the current one. */
  VERSION_NOT_INCREASED(409),
  /** The metadata is already expired. */
  EXPIRED(400),
  /** The token already holds as many upload sessions or unpublished bytes as its limits allow. */
  QUOTA_EXCEEDED(403),
  /** A request body exceeds its limit. */
  TOO_LARGE(413),
  /** The registry already serves as many API requests as it allows, in all or with this token. */
  BUSY(503),
  /**
   * This node does not hold the signer lease (several nodes share one registry): only the holder
   * signs the snapshot and timestamp a submission needs; retry, through another node.
   */
  NOT_SIGNER(503),
  /** The request body came slower than the minimum rate, or paused past the idle timeout. */
  TOO_SLOW(408),
  /** Method not supported on this path. */
  METHOD_NOT_ALLOWED(405),
  /** Anything else; the repository is unchanged. */
  INTERNAL(500);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
