package org.warder.signing;

import java.nio.file.Path;

/**
 * A private key file cannot be used: its passphrase is wrong, or it is not a key. (A key file
 * others can use is refused before, with an {@link InsecureFileException}.)
 */
public abstract class KeyFileException extends SigningException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;

  protected KeyFileException(Path file, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
  }

  /** The key file concerned. */
  public Path file() {
    return file;
  }
}
