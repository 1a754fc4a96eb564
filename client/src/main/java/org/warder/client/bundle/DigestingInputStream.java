package org.warder.client.bundle;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.warder.signing.Digests;

/** Counts and hashes (sha256) the bytes read through it. Not thread-safe. */
final class DigestingInputStream extends FilterInputStream {
  private final MessageDigest sha256 = Digests.newDigest("sha256");
  private long count;

  DigestingInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      sha256.update(b, off, n);
      count += n;
    }
    return n;
  }

  /** Reads and hashes what is skipped: no byte passes unhashed. */
  @Override
  public long skip(long n) throws IOException {
    byte[] buffer = new byte[8192];
    long left = n;
    while (left > 0) {
      int r = read(buffer, 0, (int) Math.min(buffer.length, left));
      if (r < 0) {
        break;
      }
      left -= r;
    }
    return n - left;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  long count() {
    return count;
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
