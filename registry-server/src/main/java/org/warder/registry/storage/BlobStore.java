package org.warder.registry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The content-addressed blobs of a registry, in its {@link RegistryStore}: each written once, only
 * after its bytes were checked against its name. Thread-safe.
 */
public final class BlobStore {
  private final RegistryStore store;

  public BlobStore(RegistryStore store) {
    this.store = store;
  }

  /** The bytes of blob {@code sha256}, when the name is valid and the blob exists. */
  public Optional<InputStream> open(String sha256) throws IOException {
    if (StoreKeys.blob(sha256).isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(store.openBlob(sha256, 0));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** The length of blob {@code sha256}, when it exists. */
  public OptionalLong size(String sha256) throws IOException {
    if (StoreKeys.blob(sha256).isEmpty()) {
      return OptionalLong.empty();
    }
    return store.blobLength(sha256);
  }

  /** A stored blob: its sha256, length, and when it was last stored or asked for. */
  public record Stored(String sha256, long length, Instant touched) {}

  /** Every stored blob, in no particular order. Objects that are not blobs are left out. */
  public List<Stored> list() throws IOException {
    return store.listBlobs();
  }

  /**
   * Marks blob {@code sha256} as in use at {@code now}, so that {@code gc} keeps it for its grace
   * period: a publisher that found it stored will submit metadata naming it. Returns its length,
   * when it exists.
   */
  public OptionalLong touch(String sha256, Instant now) throws IOException {
    if (StoreKeys.blob(sha256).isEmpty()) {
      return OptionalLong.empty();
    }
    return store.touchBlob(sha256, now);
  }

  /** Deletes blob {@code sha256}; returns whether it existed. */
  public boolean delete(String sha256) throws IOException {
    return StoreKeys.blob(sha256).isPresent() && store.deleteBlob(sha256);
  }

  /**
   * Stores {@code verified}, whose {@code length} bytes the caller checked to have sha256 {@code
   * sha256} and fsynced, and removes it. When the blob already exists it is kept: same name, same
   * bytes. Returns whether the blob is new.
   */
  public boolean put(Path verified, String sha256, long length) throws IOException {
    if (StoreKeys.blob(sha256).isEmpty()) {
      throw new IllegalArgumentException("not a sha256: " + sha256);
    }
    return store.putBlob(verified, sha256, length);
  }
}
