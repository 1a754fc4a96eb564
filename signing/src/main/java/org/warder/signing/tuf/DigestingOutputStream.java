package org.warder.signing.tuf;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.List;

/** Passes bytes through while feeding digests and counting them. Not thread-safe. */
public final class DigestingOutputStream extends FilterOutputStream {
  private final List<MessageDigest> digests;
  private long count;

  public DigestingOutputStream(OutputStream out, java.util.Collection<MessageDigest> digests) {
    super(out);
    this.digests = List.copyOf(digests);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    for (MessageDigest d : digests) {
      d.update((byte) b);
    }
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    for (MessageDigest d : digests) {
      d.update(b, off, len);
    }
    count += len;
  }

  /** Bytes written so far. */
  public long count() {
    return count;
  }
}
