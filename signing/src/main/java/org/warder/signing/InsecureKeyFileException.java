package org.warder.signing;

import java.nio.file.Path;

/** A private key file is readable or writable by its group or by others. */
public final class InsecureKeyFileException extends KeyFileException {
  private static final long serialVersionUID = 1L;

  public InsecureKeyFileException(Path file, String mode) {
    super(
        file,
        String.format(
            "refusing to load private key file %s: its mode is %s, expected rw------- (0600);"
                + " run 'chmod 600 %s' if you trust its content, or generate a new key",
            file, mode, file),
        null);
  }
}
