package org.warder.client.runtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * A jail's console.log in its jail directory, made ready before jail(8) ({@code exec.consolelog})
 * or the sandbox's output redirection opens it by name, which neither does without following links:
 * created if missing, or kept for appending when it is a regular file, without following a link;
 * always mode 0600 and owned by the user warder runs as (root). A link, a FIFO or anything else
 * there is refused, so that a start never appends to, or blocks on, a file the jail directory's
 * content chose. What remains is the moment between this check and that open: the jail directory
 * belongs to root, so only root can change it then. Stateless.
 */
final class ConsoleLog {
  static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-------");

  private ConsoleLog() {}

  /** Makes {@code log} a regular file warder owns, mode 0600, ready to be appended to. */
  static void prepare(Path log) throws IOException {
    Optional<BasicFileAttributes> found = attributes(log);
    if (found.isPresent() && !found.get().isRegularFile()) {
      throw refused(log, found.get());
    }
    try (FileChannel channel =
        FileChannel.open(
            log,
            Set.of(
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS),
            PosixFilePermissions.asFileAttribute(MODE))) {
      channel.force(false);
    } catch (FileSystemException e) {
      // swapped for a link (ELOOP) since the check above
      Optional<BasicFileAttributes> now = attributes(log);
      throw now.isPresent() && !now.get().isRegularFile() ? refused(log, now.get()) : e;
    }
    PosixFileAttributeView view =
        Files.getFileAttributeView(log, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    view.setPermissions(MODE);
    view.setOwner(
        log.getFileSystem()
            .getUserPrincipalLookupService()
            .lookupPrincipalByName(System.getProperty("user.name")));
  }

  private static Optional<BasicFileAttributes> attributes(Path log) throws IOException {
    if (!Files.exists(log, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    return Optional.of(
        Files.readAttributes(log, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
  }

  private static IOException refused(Path log, BasicFileAttributes found) throws IOException {
    String what =
        found.isSymbolicLink()
            ? "a symbolic link to " + Files.readSymbolicLink(log)
            : found.isDirectory() ? "a directory" : "a FIFO, device or socket";
    return new FileSystemException(
        log.toString(),
        null,
        "expected the jail's console log to be a regular file or"
            + " absent, found "
            + what
            + "; warder never follows links in a jail directory: remove it ('rm "
            + log
            + "') and start the jail again");
  }
}
