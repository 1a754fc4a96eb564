package org.warder.registry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.warder.signing.AtomicFiles;
import org.warder.signing.PrivateFiles;

/**
 * The {@link RegistryStore} in the data directory ({@link RegistryLayout}): blobs as read-only
 * files {@code blobs/sha256/<ab>/<hex>} moved into place by an atomic rename, metadata files
 * written atomically (temporary file, fsync, rename) in {@code repository/metadata/}. The default
 * store, and the layout every registry had before there was a choice. Thread-safe.
 */
public final class FileSystemStore implements RegistryStore {
  /** Held with the file lock of {@code .timestamp.lock}, which one JVM may hold only once. */
  private static final Object TIMESTAMP_LOCK = new Object();

  private final RegistryLayout layout;

  public FileSystemStore(RegistryLayout layout) {
    this.layout = layout;
  }

  @Override
  public OptionalLong blobLength(String sha256) throws IOException {
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

  @Override
  public InputStream openBlob(String sha256, long from) throws IOException {
    Path file =
        layout.blob(sha256).orElseThrow(() -> new NoSuchFileException("not a sha256: " + sha256));
    SeekableByteChannel channel = Files.newByteChannel(file);
    try {
      channel.position(from);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return Channels.newInputStream(channel);
  }

  @Override
  public Optional<Path> localFile(String key) {
    Path file = layout.data().resolve(key).normalize();
    return file.startsWith(layout.data()) && Files.isRegularFile(file)
        ? Optional.of(file)
        : Optional.empty();
  }

  @Override
  public boolean putBlob(Path verified, String sha256, long length) throws IOException {
    Path target =
        layout
            .blob(sha256)
            .orElseThrow(() -> new IllegalArgumentException("not a sha256: " + sha256));
    if (Files.isRegularFile(target)) {
      Files.delete(verified);
      return false;
    }
    check(verified, sha256, length);
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

  /**
   * Checks the length of {@code file}: its bytes are the very ones the caller hashed and fsynced,
   * and the rename moves them, not a copy.
   */
  private static void check(Path file, String sha256, long length) throws IOException {
    long found = Files.size(file);
    if (found != length) {
      Files.delete(file);
      throw new IOException(
          "expected blob "
              + sha256
              + " of "
              + length
              + " bytes, found "
              + found
              + " bytes in "
              + file
              + "; nothing was stored: upload the blob again");
    }
  }

  @Override
  public OptionalLong touchBlob(String sha256, Instant now) throws IOException {
    OptionalLong size = blobLength(sha256);
    if (size.isPresent()) {
      try {
        Files.setLastModifiedTime(layout.blob(sha256).orElseThrow(), FileTime.from(now));
      } catch (NoSuchFileException e) {
        return OptionalLong.empty();
      }
    }
    return size;
  }

  @Override
  public List<BlobStore.Stored> listBlobs() throws IOException {
    List<BlobStore.Stored> all = new ArrayList<>();
    if (!Files.isDirectory(layout.blobs())) {
      return all;
    }
    try (Stream<Path> files = Files.walk(layout.blobs(), 2)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = file.getFileName().toString();
        if (layout.blob(name).filter(file::equals).isPresent()) {
          BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
          all.add(new BlobStore.Stored(name, a.size(), a.lastModifiedTime().toInstant()));
        }
      }
    }
    return all;
  }

  @Override
  public boolean deleteBlob(String sha256) throws IOException {
    Optional<Path> file = layout.blob(sha256);
    return file.isPresent() && Files.deleteIfExists(file.get());
  }

  private Path part(String key) {
    if (!key.startsWith(StoreKeys.PARTS) || key.contains("..")) {
      throw new IllegalArgumentException("not an upload part: " + key);
    }
    return layout.data().resolve(key);
  }

  @Override
  public void putPart(String key, Path file) throws IOException {
    Path target = part(key);
    PrivateFiles.createDirectories(target.getParent());
    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public InputStream openPart(String key) throws IOException {
    return Files.newInputStream(part(key));
  }

  @Override
  public void deletePart(String key) throws IOException {
    Path file = part(key);
    Files.deleteIfExists(file);
    try {
      Files.deleteIfExists(file.getParent()); // the session's last part: its directory goes too
    } catch (DirectoryNotEmptyException e) {
      // other parts remain
    }
  }

  @Override
  public List<StoredPart> listParts() throws IOException {
    List<StoredPart> all = new ArrayList<>();
    Path parts = layout.data().resolve(StoreKeys.PARTS);
    if (!Files.isDirectory(parts)) {
      return all;
    }
    try (DirectoryStream<Path> sessions = Files.newDirectoryStream(parts)) {
      for (Path session : sessions) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(session)) {
          for (Path file : files) {
            BasicFileAttributes a;
            try {
              a = Files.readAttributes(file, BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
              continue; // deleted meanwhile
            }
            if (a.isRegularFile()) {
              String key = StoreKeys.PARTS + session.getFileName() + "/" + file.getFileName();
              all.add(new StoredPart(key, a.size(), a.lastModifiedTime().toInstant()));
            }
          }
        } catch (NoSuchFileException | NotDirectoryException e) {
          // a session's parts all deleted meanwhile (commit, cancel), or a stray file
        }
      }
    }
    return all;
  }

  @Override
  public Optional<byte[]> metadata(String name) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(layout.metadata().resolve(name)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void putMetadata(String name, byte[] bytes) throws IOException {
    Files.createDirectories(layout.metadata());
    AtomicFiles.write(layout.metadata().resolve(name), bytes);
  }

  @Override
  public void deleteMetadata(String name, byte[] bytes) throws IOException {
    Optional<byte[]> now = metadata(name);
    if (now.isPresent() && Arrays.equals(now.get(), bytes)) {
      Files.deleteIfExists(layout.metadata().resolve(name));
      AtomicFiles.syncDirectory(layout.metadata());
    }
  }

  /**
   * Temporary file, fsync, then a hard link under the name (which fails when the name exists: the
   * check and the write are one step), directory fsync.
   */
  @Override
  public boolean createMetadata(String name, byte[] bytes) throws IOException {
    Files.createDirectories(layout.metadata());
    Path target = layout.metadata().resolve(name);
    Path tmp = writeTemp(name, bytes);
    try {
      Files.createLink(target, tmp);
      AtomicFiles.syncDirectory(layout.metadata());
      return true;
    } catch (FileAlreadyExistsException e) {
      return Arrays.equals(Files.readAllBytes(target), bytes);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Temporary file, fsync, compare and rename, directory fsync. The compare and the rename are one
   * step under a lock of {@code .timestamp.lock} (of this JVM and of the file), so that writers in
   * other processes on this host, whatever lock they lost meanwhile, never both succeed.
   */
  @Override
  public void putTimestamp(byte[] bytes, Optional<byte[]> replacing) throws IOException {
    Files.createDirectories(layout.metadata());
    Path target = layout.metadata().resolve(StoreKeys.TIMESTAMP);
    Path tmp = writeTemp(StoreKeys.TIMESTAMP, bytes);
    synchronized (TIMESTAMP_LOCK) {
      try (FileChannel lock =
          FileChannel.open(
              layout.metadata().resolve(".timestamp.lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE)) {
        FileLock unused = lock.lock(); // released as the channel closes
        replaceTimestamp(target, tmp, replacing);
      } finally {
        Files.deleteIfExists(tmp); // gone already when renamed
      }
    }
  }

  private void replaceTimestamp(Path target, Path tmp, Optional<byte[]> replacing)
      throws IOException {
    Optional<byte[]> now = metadata(StoreKeys.TIMESTAMP);
    if (now.isPresent() != replacing.isPresent()
        || (now.isPresent() && !Arrays.equals(now.get(), replacing.get()))) {
      throw new StoreConflictException(
          "expected "
              + target
              + (replacing.isPresent() ? " to hold the timestamp this change read" : " absent")
              + ", found "
              + (now.isPresent() ? "another one" : "none")
              + ": another writer changed it; nothing was written, load the repository again");
    }
    FailPoints.hit(FailPoints.PUBLISH_BEFORE_TIMESTAMP_RENAME);
    AtomicFiles.move(tmp, target);
  }

  /** {@code bytes} in a new fsynced temporary file beside the metadata file {@code name}. */
  private Path writeTemp(String name, byte[] bytes) throws IOException {
    Path tmp = AtomicFiles.createTemp(layout.metadata(), name, AtomicFiles.WORLD_READABLE);
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return tmp;
  }

  @Override
  public List<String> metadataNames() throws IOException {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(layout.metadata())) {
      return names;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.metadata())) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (!name.startsWith(".") && Files.isRegularFile(file)) {
          names.add(name); // temporary files of atomic writes are not metadata
        }
      }
    }
    return names;
  }

  @Override
  public Object timestampTag() throws IOException {
    BasicFileAttributes a =
        Files.readAttributes(
            layout.metadata().resolve(StoreKeys.TIMESTAMP), BasicFileAttributes.class);
    return List.of(Objects.toString(a.fileKey()), a.lastModifiedTime().toMillis(), a.size());
  }

  @Override
  public String describe() {
    return layout.data().toString();
  }
}
