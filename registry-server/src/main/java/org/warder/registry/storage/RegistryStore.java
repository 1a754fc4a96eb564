package org.warder.registry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The port for what a registry stores and serves: content-addressed blobs (immutable, never
 * overwritten), versioned metadata files ({@code N.<role>.json}, written once before anything names
 * them), and the one mutable file, {@code timestamp.json}; and, when the nodes share their upload
 * sessions, the parts of those sessions ({@link StoreKeys#part}). Keys, tokens, the records of
 * upload sessions and the lock are not stored here: they stay in the data directory ({@link
 * RegistryLayout}) or the database.
 *
 * <p>Each object has a key relative to the store, the same in every adapter ({@link StoreKeys}):
 * {@code blobs/sha256/<ab>/<hex>} and {@code repository/metadata/<name>}; a public base URL that
 * mirrors the store serves them under the same keys. Adapters: {@link FileSystemStore} (the data
 * directory, the default) and {@link S3Store}. Implementations are thread-safe.
 */
public interface RegistryStore {
  /** The length of blob {@code sha256} (lower-case hex), when it is stored. */
  OptionalLong blobLength(String sha256) throws IOException;

  /**
   * The bytes of blob {@code sha256} from byte {@code from} on; {@link
   * java.nio.file.NoSuchFileException} when absent.
   */
  InputStream openBlob(String sha256, long from) throws IOException;

  /**
   * The object {@code key} ({@link StoreKeys}) as a local file, for zero-copy sending, when this
   * store keeps its objects as local files and the object exists.
   */
  Optional<Path> localFile(String key);

  /**
   * Stores the bytes of {@code verified}, a local file whose length and sha256 the caller checked,
   * as blob {@code sha256}; the adapter checks the length (and, when it copies the bytes, the
   * sha256) of what it stores before the blob becomes visible, and never replaces a stored blob.
   * {@code verified} is moved or deleted. Returns whether the blob is new.
   */
  boolean putBlob(Path verified, String sha256, long length) throws IOException;

  /**
   * Marks blob {@code sha256} as in use at {@code now}, so that gc keeps it for its grace period.
   * Returns its length, when it exists.
   */
  OptionalLong touchBlob(String sha256, Instant now) throws IOException;

  /** Every stored blob, in no particular order. */
  List<BlobStore.Stored> listBlobs() throws IOException;

  /** Deletes blob {@code sha256}; returns whether it existed. */
  boolean deleteBlob(String sha256) throws IOException;

  /**
   * Stores the local file {@code file} as the upload part {@code key} ({@link StoreKeys#part}), a
   * chunk of a session every node can read; {@code file} is moved or deleted.
   */
  void putPart(String key, Path file) throws IOException;

  /**
   * The bytes of upload part {@code key}; {@link java.nio.file.NoSuchFileException} when absent.
   */
  InputStream openPart(String key) throws IOException;

  /** Deletes upload part {@code key}, when it exists. */
  void deletePart(String key) throws IOException;

  /** A stored upload part: its key ({@link StoreKeys#part}), length and when it was stored. */
  record StoredPart(String key, long length, Instant stored) {}

  /** Every stored upload part, in no particular order; what a dead node left included. */
  List<StoredPart> listParts() throws IOException;

  /** The bytes of metadata file {@code name} ({@code 1.root.json}, {@code timestamp.json}...). */
  Optional<byte[]> metadata(String name) throws IOException;

  /**
   * Writes the versioned metadata file {@code name}. Only a file no snapshot or timestamp names yet
   * is ever written again (what a crash left of an unfinished change), so what clients can reach
   * never changes.
   */
  void putMetadata(String name, byte[] bytes) throws IOException;

  /**
   * Writes the versioned metadata file {@code name} only when no file has that name yet: returns
   * whether {@code name} now holds {@code bytes} (written now, or the same bytes were there);
   * {@code false} leaves the other file as it is. Two writers of one name never both succeed with
   * different bytes, so a file a committed timestamp names is never replaced.
   */
  boolean createMetadata(String name, byte[] bytes) throws IOException;

  /**
   * Deletes the versioned metadata file {@code name} while it holds {@code bytes}: what a change
   * that failed before its timestamp was in place wrote, which nothing names. A file holding other
   * bytes (another writer's) stays; an absent one is no error.
   */
  void deleteMetadata(String name, byte[] bytes) throws IOException;

  /**
   * Replaces {@code timestamp.json} atomically (readers see the old or the new bytes), only while
   * it still holds {@code replacing} (while there is none, when empty): the compare and the write
   * are one step, so a writer that built on an older timestamp never replaces a newer one.
   *
   * @throws StoreConflictException when the timestamp is not {@code replacing} any more
   */
  void putTimestamp(byte[] bytes, Optional<byte[]> replacing) throws IOException;

  /** The names of every metadata file. */
  List<String> metadataNames() throws IOException;

  /**
   * Something that changes whenever {@code timestamp.json} is written (a file key and time, an
   * ETag); {@link java.nio.file.NoSuchFileException} when there is none.
   */
  Object timestampTag() throws IOException;

  /** A short description for messages: the directory or {@code s3://bucket/prefix}. */
  String describe();
}
