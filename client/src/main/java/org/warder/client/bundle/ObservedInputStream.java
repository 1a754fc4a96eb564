package org.warder.client.bundle;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that shows every byte read through it to {@link #observe} (a digest, a CRC) and counts
 * them; skipping reads too, so no byte passes unobserved, and {@link #atEnd} runs when the stream
 * ends. Not thread-safe.
 */
public abstract class ObservedInputStream extends FilterInputStream {
  private long count;

  protected ObservedInputStream(InputStream in) {
    super(in);
  }

  /** Sees {@code n} bytes just read. */
  protected abstract void observe(byte[] b, int off, int n);

  /** Runs when the underlying stream reports its end; may refuse what was read. */
  protected void atEnd() throws IOException {
    // nothing to check by default
  }

  @Override
  public final int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public final int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      observe(b, off, n);
      count += n;
    } else if (n < 0) {
      atEnd();
    }
    return n;
  }

  /** Reads what is skipped: no byte passes unobserved. */
  @Override
  public final long skip(long n) throws IOException {
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
  public final boolean markSupported() {
    return false;
  }

  /** The bytes read so far. */
  public final long count() {
    return count;
  }
}
