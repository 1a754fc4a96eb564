package org.warder.signing;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file holding a secret (a private key, a passphrase, a token) is readable or writable by its
 * group or by others, so it is refused before it is read.
 */
public final class InsecureFileException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final String mode;

  public InsecureFileException(Path file, String what, String mode) {
    super(
        String.format(
            "refusing to read %s %s: its mode is %s, so others on this host can read or change it; expected"
                + " rw------- (0600): run 'chmod 600 %s' if you trust its content (and replace the secret if"
                + " someone else may have read it)",
            what, file, mode, file));
    this.file = file;
    this.mode = mode;
  }

  /** The file refused. */
  public Path file() {
    return file;
  }

  /** Its mode, as {@code ls -l} shows it ({@code rw-r--r--}). */
  public String mode() {
    return mode;
  }
}
