package org.warder.signing;

import java.nio.file.Path;

/** The passphrase does not decrypt a private key file. */
public final class WrongPassphraseException extends KeyFileException {
  private static final long serialVersionUID = 1L;

  public WrongPassphraseException(Path file, Throwable cause) {
    super(file, "cannot decrypt private key file " + file + ": wrong passphrase", cause);
  }
}
