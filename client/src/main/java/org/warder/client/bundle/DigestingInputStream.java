package org.warder.client.bundle;

import java.io.IOException;
import java.io.InputStream;
import org.warder.client.digest.Sha256Tally;

/** Counts and hashes (sha256) the bytes read through it. Not thread-safe. */
public final class DigestingInputStream extends ObservedInputStream {
  private final Sha256Tally tally = new Sha256Tally();

  public DigestingInputStream(InputStream in) {
    super(in);
  }

  @Override
  protected void observe(byte[] b, int off, int n) {
    tally.add(b, off, n);
  }

  /** Reads what is left to its end, hashing it. */
  public void drain() throws IOException {
    byte[] buffer = new byte[64 * 1024];
    while (read(buffer, 0, buffer.length) >= 0) {
      // hashed by read
    }
  }

  /** The sha256 of everything read, lower-case hex; call once, at the end. */
  public String sha256() {
    return tally.sha256();
  }
}
