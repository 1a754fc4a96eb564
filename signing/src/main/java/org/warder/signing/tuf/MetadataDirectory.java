package org.warder.signing.tuf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.warder.signing.AtomicFiles;

/**
 * The client's trusted metadata directory: one file per role, named {@code <quoted role>.json}
 * without version prefix (root.json, timestamp.json, ...), holding exactly the bytes received,
 * written atomically. Role names are percent-quoted, so no name can leave the directory. Not
 * thread-safe; one updater owns a directory at a time.
 */
public final class MetadataDirectory {
  private static final int MAX_FILE_NAME = 255;
  private final Path dir;

  public MetadataDirectory(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** The file of {@code role} in this directory. */
  public Path file(String role) throws UnsafeNameException {
    String name = Urls.quote(role) + ".json";
    if (name.length() > MAX_FILE_NAME) {
      throw new UnsafeNameException(
          "role", role, "its file name would exceed " + MAX_FILE_NAME + " bytes");
    }
    return dir.resolve(name);
  }

  /** The stored bytes of {@code role}, if stored and at most {@code maxLength} bytes. */
  public Optional<byte[]> read(String role, long maxLength)
      throws IOException, UnsafeNameException {
    Path file = file(role);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxLength + 1));
      if (bytes.length > maxLength) {
        return Optional.empty(); // oversized local copy: ignore it, fetch a fresh one
      }
      return Optional.of(bytes);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Stores {@code bytes} as the trusted metadata of {@code role}, atomically. */
  public void write(String role, byte[] bytes) throws IOException, UnsafeNameException {
    Files.createDirectories(dir);
    AtomicFiles.write(file(role), bytes);
  }

  /**
   * Stores {@code bytes} as the trusted metadata of targets role {@code role}, atomically but
   * without waiting for the disk. Safe for targets roles only: their local copy is checked against
   * the trusted snapshot's hashes on every use and fetched again when it fails, so a copy a crash
   * left stale or empty costs a download, never trust; root, timestamp and snapshot, which guard
   * against rollback, are written with {@link #write}. A delegation walk stores one file per role,
   * each otherwise waiting for two disk syncs.
   */
  public void writeTargets(String role, byte[] bytes) throws IOException, UnsafeNameException {
    Files.createDirectories(dir);
    AtomicFiles.writeUnsynced(file(role), bytes);
  }

  /** Forgets the trusted metadata of {@code role}. */
  public void delete(String role) throws IOException, UnsafeNameException {
    Files.deleteIfExists(file(role));
  }
}
