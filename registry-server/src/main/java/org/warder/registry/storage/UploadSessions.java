package org.warder.registry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.warder.registry.api.RegistryException;

/**
 * Resumable upload sessions: a publisher starts one (POST), appends chunks at its offset (PATCH,
 * HEAD for the offset), commits it as a blob whose length and sha256 are checked (PUT) or cancels
 * it (DELETE). A session belongs to the token that started it: for any other token it does not
 * exist ({@code UPLOAD_UNKNOWN}). What a token may hold (sessions, unpublished bytes, blob size) is
 * capped by its {@link TokenStore.Limits}. Adapters: {@link FileUploadSessions} (one process, the
 * data directory) and {@code postgres.SharedUploadSessions} (records in PostgreSQL, bytes in the
 * {@link RegistryStore}: every request of a session may land on a different node). Thread-safe.
 */
public interface UploadSessions {
  /** A committed upload: the blob it became, and whether that blob was already stored. */
  record Committed(String sha256, long length, boolean existed) {}

  /** A session {@link #purge} removes: its uuid and the bytes it holds. */
  record Expired(String uuid, long length) {}

  /**
   * Something {@link #purge} removes that no session names: a part object in the store ({@link
   * StoreKeys#PARTS}) or a file in the node's {@code uploads-incoming/}, left by a node that died
   * while it handled a request.
   *
   * @param key the part's store key, or the file's path relative to the data directory
   * @param length its bytes
   */
  record Leftover(String key, long length) {}

  /** Builds the sessions of a server over its layout and store. */
  @FunctionalInterface
  interface Factory {
    UploadSessions create(
        RegistryLayout layout,
        RegistryStore store,
        ReferencedBlobs referenced,
        Clock clock,
        long maxBlobSize);
  }

  /** The largest blob accepted, in bytes. */
  long maxBlobSize();

  /**
   * Starts a new, empty session of token {@code owner} and returns its uuid; refused when the token
   * has as many sessions open as its limits allow.
   */
  String create(TokenStore.Token owner) throws RegistryException, IOException;

  /** The number of bytes session {@code uuid} of token {@code owner} holds. */
  long offset(String uuid, TokenStore.Token owner) throws RegistryException, IOException;

  /**
   * Appends {@code length} bytes read from {@code body} at {@code start}, which must be the
   * session's offset. Bytes received before the body ends early (a cut connection) are kept; the
   * client asks the offset and continues. A chunk that cannot be stored (a full disk, a failing
   * store) leaves none of its bytes and is refused ({@code UPLOAD_NOT_STORED}, the session still at
   * {@code start}). Returns the new offset.
   */
  long append(String uuid, TokenStore.Token owner, long start, long length, InputStream body)
      throws RegistryException, IOException;

  /**
   * Commits session {@code uuid} as the blob {@code sha256} of {@code length} bytes, checking both
   * against the bytes received. On a mismatch the session is discarded and nothing becomes visible.
   */
  Committed commit(String uuid, TokenStore.Token owner, String sha256, long length)
      throws RegistryException, IOException;

  /** Removes session {@code uuid}. */
  void cancel(String uuid, TokenStore.Token owner) throws RegistryException, IOException;

  /** The sessions {@link #purge} would remove now: untouched for {@code maxAge}, or broken. */
  List<Expired> expired(Duration maxAge) throws IOException;

  /**
   * The leftovers {@link #purge} would remove now: upload parts stored and incoming files last
   * written more than {@code maxAge} ago that no session names; never a part of a session.
   */
  List<Leftover> leftovers(Duration maxAge) throws IOException;

  /**
   * Removes sessions untouched for {@code maxAge}, debris, and the {@link #leftovers} older than
   * {@code maxAge}; sessions in use are skipped. Returns how many sessions were removed.
   */
  int purge(Duration maxAge) throws IOException;
}
