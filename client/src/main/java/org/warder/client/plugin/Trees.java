package org.warder.client.plugin;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Removal of temporary directory trees (links are removed, never followed). Thread-safe. */
public final class Trees {
  private Trees() {}

  /**
   * Deletes {@code dir} and everything under it; nothing when it does not exist. A file that
   * vanishes meanwhile is fine, and a directory that gains files meanwhile (JGit finishing its
   * housekeeping in a repository being removed) is walked again, a few times.
   */
  public static void delete(Path dir) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        deleteOnce(dir);
        return;
      } catch (DirectoryNotEmptyException e) {
        if (attempt >= 5) {
          throw e;
        }
      }
    }
  }

  private static void deleteOnce(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
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
}
