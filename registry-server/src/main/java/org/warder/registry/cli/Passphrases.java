package org.warder.registry.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.warder.signing.PrivateFiles;

/**
 * Where passphrases come from: a file for scripts (refused when others can read it), else an
 * interactive prompt, asked twice.
 */
final class Passphrases {
  private Passphrases() {}

  /** A new passphrase: from {@code file}, else asked twice on the terminal. */
  static char[] read(Optional<Path> file, String what) throws IOException {
    if (file.isPresent()) {
      return fromFile(file.get());
    }
    Console console = System.console();
    if (console == null) {
      throw new IOException(
          "no terminal to ask for the " + what + " passphrase; pass --passphrase-file FILE");
    }
    char[] first = console.readPassword("Passphrase for the %s keys: ", what);
    char[] second = console.readPassword("Same passphrase again: ");
    try {
      if (first == null || first.length == 0 || !Arrays.equals(first, second)) {
        throw new IOException("the passphrases were empty or differed; nothing was written");
      }
      return first;
    } finally {
      if (second != null) {
        Arrays.fill(second, '\0');
      }
    }
  }

  /**
   * An existing passphrase, to decrypt a key: from {@code file}, else asked once on the terminal.
   */
  static char[] readOnce(Optional<Path> file, String what) throws IOException {
    if (file.isPresent()) {
      return fromFile(file.get());
    }
    Console console = System.console();
    if (console == null) {
      throw new IOException(
          "no terminal to ask for the " + what + " passphrase; pass --passphrase-file FILE");
    }
    char[] passphrase = console.readPassword("Passphrase for the %s key: ", what);
    if (passphrase == null || passphrase.length == 0) {
      throw new IOException("no passphrase given; nothing was changed");
    }
    return passphrase;
  }

  private static char[] fromFile(Path file) throws IOException {
    return PrivateFiles.readFirstLine(file, "passphrase file");
  }
}
