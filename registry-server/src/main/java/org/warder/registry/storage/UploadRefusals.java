package org.warder.registry.storage;

import java.io.IOException;
import java.util.Map;
import java.util.regex.Pattern;
import org.warder.registry.api.ErrorCode;
import org.warder.registry.api.RegistryException;

/** The refusals every {@link UploadSessions} adapter gives, worded the same. */
public final class UploadRefusals {
  public static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  public static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private UploadRefusals() {}

  public static RegistryException unknown(String uuid) {
    return new RegistryException(
        ErrorCode.UPLOAD_UNKNOWN,
        "no upload session "
            + uuid
            + " of this token (never created, started with another token, already"
            + " committed, cancelled, or purged after a day untouched); start a new one with POST /api/v1/uploads",
        Map.of("uuid", uuid));
  }

  public static RegistryException tooManySessions(TokenStore.Token owner, int open) {
    int max = owner.limits().maxSessions();
    return new RegistryException(
        ErrorCode.QUOTA_EXCEEDED,
        "token "
            + owner.id()
            + " has "
            + open
            + " upload sessions open, its limit is "
            + max
            + "; commit or cancel"
            + " (DELETE) one first, or ask the registry owner for a token with a higher --max-sessions",
        Map.of("token", owner.id(), "open", open, "limit", max));
  }

  /** Counts the bytes a token holds unpublished. */
  @FunctionalInterface
  public interface PendingBytes {
    long count() throws IOException;
  }

  /**
   * Refuses a chunk of {@code length} bytes from {@code start} for a session at {@code offset}
   * unless it starts there, keeps the blob within its limit, and keeps the token's pending bytes
   * (counted last, only when needed) within its limit.
   */
  public static void admitChunk(
      TokenStore.Token owner,
      long maxBlobSize,
      long offset,
      long start,
      long length,
      PendingBytes pendingBytes)
      throws RegistryException, IOException {
    if (start != offset) {
      throw notAtOffset(offset, start);
    }
    if (length > blobLimit(owner, maxBlobSize) - start) {
      throw tooLarge(owner, maxBlobSize, offset, start, length);
    }
    long pending = pendingBytes.count();
    if (length > owner.limits().maxPendingBytes() - pending) {
      throw overPending(owner, pending, length, offset);
    }
  }

  public static RegistryException notAtOffset(long offset, long start) {
    return new RegistryException(
        ErrorCode.RANGE_INVALID,
        "expected a chunk starting at the session's offset "
            + offset
            + ", found one starting at "
            + start
            + "; continue from "
            + offset,
        Map.of("offset", offset, "start", start));
  }

  /** The largest blob {@code owner} may upload: the registry's limit or the token's. */
  public static long blobLimit(TokenStore.Token owner, long maxBlobSize) {
    return Math.min(maxBlobSize, owner.limits().maxBlobSize());
  }

  private static String blobLimitName(TokenStore.Token owner, long maxBlobSize) {
    return owner.limits().maxBlobSize() < maxBlobSize
        ? "token " + owner.id() + "'s limit"
        : "the registry's limit";
  }

  private static RegistryException tooLarge(
      TokenStore.Token owner, long maxBlobSize, long offset, long start, long length) {
    long limit = blobLimit(owner, maxBlobSize);
    return new RegistryException(
        ErrorCode.TOO_LARGE,
        "this chunk would make the upload "
            + (start + length)
            + " bytes long, above "
            + blobLimitName(owner, maxBlobSize)
            + " of "
            + limit
            + " bytes per blob",
        Map.of("limit", limit, "offset", offset));
  }

  private static RegistryException overPending(
      TokenStore.Token owner, long pending, long length, long offset) {
    long maxPending = owner.limits().maxPendingBytes();
    return new RegistryException(
        ErrorCode.QUOTA_EXCEEDED,
        "this chunk would make token "
            + owner.id()
            + " hold "
            + (pending + length)
            + " bytes not yet published"
            + " (its open uploads and the blobs it committed that no metadata names), above its limit of "
            + maxPending
            + "; publish or cancel what it uploaded, or ask the registry owner for a token with a"
            + " higher --max-pending",
        Map.of("token", owner.id(), "pending", pending, "limit", maxPending, "offset", offset));
  }

  public static RegistryException shortBody(
      long start, long length, long written, IOException cause) {
    return new RegistryException(
        ErrorCode.RANGE_INVALID,
        "expected "
            + length
            + " bytes as Content-Range declares, the body ended after "
            + written
            + "; they were kept: ask the offset (HEAD) and continue from "
            + (start + written),
        Map.of("offset", start + written),
        cause);
  }

  /**
   * A chunk from {@code start} that could not be stored ({@code cause}: a full disk, a failing
   * store): none of its bytes is kept, the session is at {@code start} again.
   */
  public static RegistryException notStored(long start, IOException cause) {
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new RegistryException(
        ErrorCode.UPLOAD_NOT_STORED,
        "the registry could not store the chunk from byte "
            + start
            + " ("
            + why
            + "); none of it was kept and the session is at byte "
            + start
            + " again: retry once the registry has space, or cancel the session (DELETE) to free"
            + " its bytes",
        Map.of("offset", start),
        cause);
  }

  public static RegistryException longBody(long start, long length) {
    return new RegistryException(
        ErrorCode.RANGE_INVALID,
        "expected a body of "
            + length
            + " bytes as Content-Range declares, found more; the first "
            + length
            + " bytes were kept",
        Map.of("offset", start + length));
  }

  public static RegistryException digestText(String sha256) {
    return new RegistryException(
        ErrorCode.DIGEST_INVALID,
        "expected sha256=<64 lower-case hex digits>, found \"" + sha256 + "\"",
        Map.of("sha256", sha256));
  }

  public static RegistryException wrongSize(
      TokenStore.Token owner, long maxBlobSize, long length, long size) {
    long limit = blobLimit(owner, maxBlobSize);
    String why =
        length > limit
            ? "the declared length "
                + length
                + " exceeds "
                + blobLimitName(owner, maxBlobSize)
                + " of "
                + limit
                + " bytes"
            : "expected " + length + " bytes (declared), found " + size + " bytes received";
    return new RegistryException(
        ErrorCode.SIZE_INVALID,
        why + "; the upload was discarded, upload the blob again",
        Map.of("expected", length, "found", size));
  }

  public static RegistryException wrongDigest(String sha256, String found) {
    return new RegistryException(
        ErrorCode.DIGEST_INVALID,
        "expected sha256 "
            + sha256
            + " (declared), found "
            + found
            + " for the bytes received; the upload was discarded, upload the blob again",
        Map.of("expected", sha256, "found", found));
  }
}
