package org.warder.client.freebsd;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Host-side paths inside a jail root that the jail's own root user could have prepared: every
 * component below the root must be a real directory, never a symbolic link (an absolute link
 * like usr/local/etc/pkg -> /etc would otherwise send a host-side write into the host's /etc).
 * This guards a jail that is not running; a running jail could still swap a directory between the
 * check and the write, so write into jail roots while the jail is stopped.
 */
final class SafePaths {
  private SafePaths() {}

  /** {@code root/relative} as a directory, created (mode 0755) where missing, with no link on the way. */
  static Path directory(Path root, String relative) throws IOException {
    Path dir = root;
    for (Path part : Path.of(relative)) {
      String name = part.toString();
      if (name.equals("..") || name.equals(".")) {
        throw new IllegalArgumentException("relative path with . or ..: " + relative);
      }
      dir = dir.resolve(name);
      if (Files.isSymbolicLink(dir)) {
        throw new FileSystemException(dir.toString(), null,
            "is a symbolic link inside the jail root; refusing to follow it (remove it from the jail)");
      }
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      } else if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new FileSystemException(dir.toString(), null, "is not a directory");
      }
    }
    return dir;
  }

  /** Deletes {@code path} and everything below it, never following symbolic links. */
  static void deleteTree(Path path) throws IOException {
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      try (var children = Files.list(path)) {
        for (Path c : (Iterable<Path>) children::iterator) {
          deleteTree(c);
        }
      }
    }
    Files.deleteIfExists(path);
  }
}
