package org.warder.client.host;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one recursive delete of a directory tree on the host, outside any jail (inside one, {@link
 * ConfinedDirectory#deleteTree}). Symlinks are removed, never followed. Thread-safe.
 */
public final class DirectoryTrees {
  private static final int ATTEMPTS = 5;

  private DirectoryTrees() {}

  /**
   * Deletes {@code dir} and everything under it; nothing when it does not exist, only the link when
   * it is a symlink. Read-only directories (0555, as releases have) are made writable first. A file
   * that vanishes meanwhile is fine, and a directory that gains files meanwhile (JGit finishing its
   * housekeeping in a repository being removed) is walked again, a few times. Files FreeBSD marks
   * immutable must have their flag cleared first ({@code Storage#clearImmutableFlags}).
   */
  public static void delete(Path dir) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        deleteOnce(dir);
        return;
      } catch (DirectoryNotEmptyException e) {
        if (attempt >= ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static void deleteOnce(Path dir) throws IOException {
    if (!Files.exists(dir, NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
              throws IOException {
            try {
              Files.setAttribute(d, "unix:mode", 0700, NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
              return FileVisitResult.SKIP_SUBTREE; // gone already
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE; // gone already
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
              throw e;
            }
            Files.deleteIfExists(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /**
   * The sizes of the regular files below {@code dir} added up, each hard-linked file once, links
   * not followed, directories of other file systems (mounts) left out.
   */
  public static long size(Path dir) throws IOException {
    Object device = Files.getAttribute(dir, "unix:dev", NOFOLLOW_LINKS);
    java.util.Set<Object> seen = new java.util.HashSet<>();
    long[] total = {0};
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
              throws IOException {
            return device.equals(Files.getAttribute(d, "unix:dev", NOFOLLOW_LINKS))
                ? FileVisitResult.CONTINUE
                : FileVisitResult.SKIP_SUBTREE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && seen.add(attrs.fileKey())) {
              total[0] += attrs.size();
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE; // gone while walking: it takes nothing
          }
        });
    return total[0];
  }
}
