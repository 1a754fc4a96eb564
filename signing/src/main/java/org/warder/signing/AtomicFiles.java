package org.warder.signing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Atomic file writes: a temporary file in the target's directory, written, fsynced, then renamed
 * over the target, and the directory fsynced. A reader sees the old file or the new one, never a
 * mix; a crash leaves at most a stray {@code .tmp} file. Thread-safe.
 */
public final class AtomicFiles {
  /** Mode 0600: private keys, tokens. */
  public static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  /** Mode 0644: everything else. */
  public static final Set<PosixFilePermission> WORLD_READABLE =
      PosixFilePermissions.fromString("rw-r--r--");

  /** Writes the content of a file to a stream. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /** Replaces {@code target} with {@code content} (mode 0644). */
  public static void write(Path target, byte[] content) throws IOException {
    write(target, out -> out.write(content), WORLD_READABLE, true);
  }

  /**
   * Writes {@code target} atomically with {@code mode} from the first byte on. Missing parent
   * directories are created, with mode 0700 when {@code mode} is {@link #OWNER_ONLY}.
   *
   * @param replace whether an existing target may be replaced; if not, an existing target makes
   *     this throw {@link FileAlreadyExistsException} and is left untouched
   */
  public static void write(
      Path target, Writer writer, Set<PosixFilePermission> mode, boolean replace)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (mode.equals(OWNER_ONLY)) {
      PrivateFiles.createDirectories(dir); // a private file's new parents are private too
    } else {
      Files.createDirectories(dir);
    }
    if (!replace && Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null, "refusing to overwrite");
    }
    Path tmp = createTemp(dir, target.getFileName().toString(), mode);
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        // The writer may close what it is given; the channel must stay open for fsync.
        OutputStream out =
            new java.io.BufferedOutputStream(
                java.nio.channels.Channels.newOutputStream(channel), 65536) {
              @Override
              public void close() throws IOException {
                flush();
              }
            };
        writer.writeTo(out);
        out.flush();
        channel.force(true);
      }
      if (replace) {
        move(tmp, target);
      } else {
        // A hard link fails if the target appeared meanwhile, so nothing is overwritten.
        Files.createLink(target, tmp);
        Files.delete(tmp);
      }
      syncDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Renames {@code source} over {@code target} atomically and fsyncs the target directory. */
  public static void move(Path source, Path target) throws IOException {
    rename(source, target);
    syncDirectory(target.toAbsolutePath().getParent());
  }

  /**
   * Replaces {@code target} with {@code content} (mode 0644) atomically, without fsync: a reader
   * sees the old file or the new one, but after a crash the file may be either, or empty. Only for
   * copies that are checked on every use and fetched again when they fail (such as TUF targets
   * metadata, which the snapshot's hashes vouch for); it spares the two disk syncs per file that
   * {@link #write(Path, byte[])} waits for.
   */
  public static void writeUnsynced(Path target, byte[] content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = createTemp(dir, target.getFileName().toString(), WORLD_READABLE);
    try {
      Files.write(tmp, content);
      rename(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void rename(Path source, Path target) throws IOException {
    try {
      Files.move(
          source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "cannot rename " + source + " to " + target + " atomically; keep both on one filesystem",
          e);
    }
  }

  /** Makes a directory entry change (create, rename) durable. */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** A new empty temporary file next to {@code name} in {@code dir}, with {@code mode}. */
  public static Path createTemp(Path dir, String name, Set<PosixFilePermission> mode)
      throws IOException {
    FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(mode);
    String prefix = "." + (name.length() > 40 ? name.substring(0, 40) : name) + ".";
    return Files.createTempFile(dir, prefix, ".tmp", attr);
  }
}
