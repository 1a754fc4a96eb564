package org.warder.signing.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.warder.signing.Digests;

/** Directory trees in tests: copying them and fingerprinting what they hold. */
public final class TestFiles {
  private TestFiles() {}

  /**
   * Every regular file below {@code dir}, by path relative to it ({@code /}-separated), to the
   * sha256 of its bytes; empty when {@code dir} is not a directory. Two calls compare equal exactly
   * when the same files hold the same bytes.
   */
  public static Map<String, String> digests(Path dir) {
    Map<String, String> out = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.put(
            dir.relativize(f).toString().replace('\\', '/'),
            Digests.sha256Hex(Files.readAllBytes(f)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * Copies the tree {@code from} to {@code to}, keeping file modes and times (key files must stay
   * 0600) and replacing files that are already there.
   */
  public static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
          Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(f));
        } else {
          Files.copy(
              f, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** A new temporary directory, deleted with all it holds when the JVM exits. */
  public static Path directoryUntilExit(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
    return dir;
  }

  /** Deletes {@code dir} and everything below it, as far as it can; no error when it is missing. */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort
    }
  }
}
