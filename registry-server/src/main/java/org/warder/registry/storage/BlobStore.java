package org.warder.registry.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
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

  /** A stored blob: its sha256, length, and when it was last stored or asked for. */
  public record Stored(String sha256, long length, Instant touched) {}

  /** Every stored blob, in no particular order. Files that are not blobs are left out. */
  public List<Stored> list() throws IOException {
    List<Stored> all = new ArrayList<>();
    if (!Files.isDirectory(layout.blobs())) {
      return all;
    }
    try (Stream<Path> files = Files.walk(layout.blobs(), 2)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = file.getFileName().toString();
        if (layout.blob(name).filter(file::equals).isPresent()) {
          BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
          all.add(new Stored(name, a.size(), a.lastModifiedTime().toInstant()));
        }
      }
    }
    return all;
  }

  /**
   * Marks blob {@code sha256} as in use at {@code now} (its modification time), so that {@code gc}
   * keeps it for its grace period: a publisher that found it stored will submit metadata naming it.
   * Returns its length, when it exists.
   */
  public OptionalLong touch(String sha256, Instant now) throws IOException {
    OptionalLong size = size(sha256);
    if (size.isPresent()) {
      try {
        Files.setLastModifiedTime(layout.blob(sha256).orElseThrow(), FileTime.from(now));
      } catch (NoSuchFileException e) {
        return OptionalLong.empty();
      }
    }
    return size;
  }

  /** Deletes blob {@code sha256}; returns whether it existed. */
  public boolean delete(String sha256) throws IOException {
    Optional<Path> file = layout.blob(sha256);
    return file.isPresent() && Files.deleteIfExists(file.get());
  }

  /**
   * Moves {@code verified}, whose bytes the caller checked to have sha256 {@code sha256} and
   * fsynced, into the store (read-only, mode 0444). When the blob already exists it is kept and
   * {@code verified} deleted: same name, same bytes. Returns whether the blob is new.
   */
  public boolean put(Path verified, String sha256) throws IOException {
    Path target =
        layout
            .blob(sha256)
            .orElseThrow(() -> new IllegalArgumentException("not a sha256: " + sha256));
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
