package org.warder.client.plugin;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.warder.client.host.ConfinedDirectory;
import org.warder.client.host.ConfinementException;

/**
 * Copies a plugin's {@code overlay/} onto a jail root through a {@link ConfinedDirectory}: every
 * write is descriptor-relative and never follows a symbolic link of the jail, not even one a
 * process in the jail swaps in during the copy; a path that passes through a link or a
 * non-directory is refused instead of written. Symlinks in the overlay are recreated as they are;
 * file modes are kept. Stateless.
 */
public final class OverlayCopy {
  private OverlayCopy() {}

  /** Copies every entry of {@code overlay} to the same relative path under {@code root}. */
  public static int copy(Path overlay, ConfinedDirectory root)
      throws IOException, UnsafeArtifactException {
    int[] copied = {0};
    try {
      Files.walkFileTree(
          overlay,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              if (!dir.equals(overlay)) {
                root.createDirectories(relative(overlay, dir));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              String target = relative(overlay, file);
              if (attrs.isSymbolicLink()) {
                root.symlink(target, Files.readSymbolicLink(file).toString());
              } else {
                root.copyIn(
                    file, target, Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
              }
              copied[0]++;
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (ConfinementException e) {
      throw new UnsafeArtifactException(e.getMessage() + "; refusing to copy the overlay");
    }
    return copied[0];
  }

  private static String relative(Path overlay, Path entry) {
    return overlay.relativize(entry).toString();
  }
}
