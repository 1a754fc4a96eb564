package org.warder.registry.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.OptionalLong;
import org.warder.signing.AtomicFiles;

/**
 * The content-addressed blobs of a registry: {@code blobs/sha256/<ab>/<hex>}, each written once,
 * only after its bytes were checked against its name, by an atomic rename. Thread-safe.
 */
public final class BlobStore {
  private final RegistryLayout layout;

  public BlobStore(RegistryLayout layout) {
    this.layout = layout;
  }

  /** The file of blob {@code sha256}, when the name is valid and the blob exists. */
  public Optional<Path> file(String sha256) {
    return layout.blob(sha256).filter(Files::isRegularFile);
  }

  /** The length of blob {@code sha256}, when it exists. */
  public OptionalLong size(String sha256) throws IOException {
    Optional<Path> file = layout.blob(sha256);
    if (file.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Files.size(file.get()));
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Moves {@code verified}, whose bytes the caller checked to have sha256 {@code sha256} and
   * fsynced, into the store (read-only, mode 0444). When the blob already exists it is kept and
   * {@code verified} deleted: same name, same bytes. Returns whether the blob is new.
   */
  public boolean put(Path verified, String sha256) throws IOException {
    Path target =
        layout.blob(sha256).orElseThrow(() -> new IllegalArgumentException("not a sha256: " + sha256));
    if (Files.isRegularFile(target)) {
      Files.delete(verified);
      return false;
    }
    Path dir = target.getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      AtomicFiles.syncDirectory(dir.getParent());
    }
    Files.setPosixFilePermissions(verified, PosixFilePermissions.fromString("r--r--r--"));
    // Two sessions committing the same bytes at once both rename; either result is the same blob.
    AtomicFiles.move(verified, target);
    return true;
  }
}
