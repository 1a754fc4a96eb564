package org.warder.client.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.warder.signing.Digests;

/** Counts and hashes (sha256) the bytes read through it. Not thread-safe. */
final class DigestingInputStream extends ObservedInputStream {
  private final MessageDigest sha256 = Digests.newDigest("sha256");

  DigestingInputStream(InputStream in) {
    super(in);
  }

  @Override
  protected void observe(byte[] b, int off, int n) {
    sha256.update(b, off, n);
  }

  /** Reads what is left to its end, hashing it. */
  void drain() throws IOException {
    byte[] buffer = new byte[64 * 1024];
    while (read(buffer, 0, buffer.length) >= 0) {
      // hashed by read
    }
  }

  /** The sha256 of everything read, lower-case hex; call once, at the end. */
  String sha256() {
    return HexFormat.of().formatHex(sha256.digest());
  }
}
