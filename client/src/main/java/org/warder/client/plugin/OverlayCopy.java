package org.warder.client.plugin;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Copies a plugin's {@code overlay/} onto a jail root without ever following a symlink inside
 * the jail: a jail's absolute symlinks point at the host when seen from outside, so a path that
 * passes through one is refused instead of written. Symlinks in the overlay are recreated as
 * they are; file modes are kept. Stateless.
 */
public final class OverlayCopy {
  private OverlayCopy() {}

  /** Copies every entry of {@code overlay} to the same relative path under {@code root}. */
  public static int copy(Path overlay, Path root) throws IOException, UnsafeArtifactException {
    int[] copied = {0};
    try {
      Files.walkFileTree(overlay, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          Path target = target(overlay, dir, root);
          if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(target);
          } else if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new UnsafeOverlay(overlay.relativize(dir) + " is a directory in the overlay but not in the jail");
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Path target = target(overlay, file, root);
          Files.deleteIfExists(target); // a symlink there is replaced, never written through
          if (attrs.isSymbolicLink()) {
            Files.createSymbolicLink(target, Files.readSymbolicLink(file));
          } else {
            Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
          }
          copied[0]++;
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (UnsafeOverlay e) {
      throw new UnsafeArtifactException(e.getMessage() + "; refusing to copy the overlay");
    }
    return copied[0];
  }

  /** The destination of {@code entry}, after checking every parent below root is a real directory. */
  private static Path target(Path overlay, Path entry, Path root) throws UnsafeOverlay {
    Path relative = overlay.relativize(entry);
    Path current = root;
    for (int i = 0; i < relative.getNameCount() - 1; i++) {
      current = current.resolve(relative.getName(i));
      if (Files.isSymbolicLink(current)) {
        throw new UnsafeOverlay("overlay path " + relative + " passes through the symlink /" + root.relativize(current)
            + " of the jail");
      }
    }
    return root.resolve(relative);
  }

  /** Carries a refusal through the file visitor. */
  private static final class UnsafeOverlay extends IOException {
    private static final long serialVersionUID = 1L;

    UnsafeOverlay(String message) {
      super(message);
    }
  }
}
