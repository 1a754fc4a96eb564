package org.warder.signing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files only their owner may use: what holds jail contents, secrets or session data. They are
 * created with their mode from the start (a file attribute at creation, never a chmod after), so
 * they are never readable by others, whatever the umask: files 0600, directories 0700. Existing
 * files and directories keep their mode. Also the one check that a secret someone hands in (a key,
 * passphrase or token file) is private before it is read. Thread-safe.
 */
public final class PrivateFiles {
  /** Mode 0600. */
  public static final Set<PosixFilePermission> FILE = AtomicFiles.OWNER_ONLY;

  /** Mode 0700. */
  public static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  private static final Set<PosixFilePermission> GROUP_OR_OTHERS =
      EnumSet.complementOf(
          EnumSet.of(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE));

  private PrivateFiles() {}

  /**
   * Creates {@code dir} and its missing parents, each new one with mode 0700; returns {@code dir}.
   */
  public static Path createDirectories(Path dir) throws IOException {
    return Files.createDirectories(dir, directoryMode());
  }

  /** Creates the new directory {@code dir} with mode 0700; returns it. */
  public static Path createDirectory(Path dir) throws IOException {
    return Files.createDirectory(dir, directoryMode());
  }

  /** Creates the new empty file {@code file} with mode 0600; returns it. */
  public static Path createFile(Path file) throws IOException {
    return Files.createFile(file, fileMode());
  }

  /**
   * Creates the empty file {@code file} with mode 0600 unless it exists (then it keeps its mode).
   */
  public static void createFileIfAbsent(Path file) throws IOException {
    try {
      createFile(file);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // an existing file is the owner's: its mode is theirs to choose
    }
  }

  /** A stream writing the new file {@code file}, created with mode 0600; fails if it exists. */
  public static OutputStream newOutputStream(Path file) throws IOException {
    return Files.newOutputStream(createFile(file), StandardOpenOption.WRITE);
  }

  /** Writes {@code text} to the new file {@code file}, created with mode 0600. */
  public static void writeString(Path file, String text) throws IOException {
    try (OutputStream out = newOutputStream(file)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Refuses {@code file} (a {@code what}: "passphrase file", "private key file") when its group or
   * others have any permission on it; its mode is reported, never changed.
   */
  public static void requireOwnerOnly(Path file, String what) throws IOException {
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
    for (PosixFilePermission p : mode) {
      if (GROUP_OR_OTHERS.contains(p)) {
        throw new InsecureFileException(file, what, PosixFilePermissions.toString(mode));
      }
    }
  }

  /**
   * The first line of the secret file {@code file} (a {@code what}), refused when others may read
   * it or when that line is empty.
   */
  public static char[] readFirstLine(Path file, String what) throws IOException {
    requireOwnerOnly(file, what);
    String first = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
    if (first.isEmpty()) {
      throw new IOException(what + " " + file + " is empty; put the secret on its first line");
    }
    return first.toCharArray();
  }

  private static FileAttribute<Set<PosixFilePermission>> fileMode() {
    return PosixFilePermissions.asFileAttribute(FILE);
  }

  private static FileAttribute<Set<PosixFilePermission>> directoryMode() {
    return PosixFilePermissions.asFileAttribute(DIRECTORY);
  }
}
