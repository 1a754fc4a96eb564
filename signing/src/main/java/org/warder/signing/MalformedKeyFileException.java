package org.warder.signing;

import java.nio.file.Path;

/** A file is not a passphrase-encrypted Ed25519 PKCS#8 PEM private key. */
public final class MalformedKeyFileException extends KeyFileException {
  private static final long serialVersionUID = 1L;

  public MalformedKeyFileException(Path file, String found) {
    super(
        file,
        "expected " + file + " to hold an ENCRYPTED PRIVATE KEY (PKCS#8, Ed25519), found " + found,
        null);
  }
}
