package org.warder.client.bundle.iocage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * A zip member's content that, at its end, checks the length and CRC-32 the zip's directory
 * records for it, and fails the read if they differ (commons-compress's {@code ZipFile} does not
 * check them). Not thread-safe.
 */
final class CrcCheckedInputStream extends FilterInputStream {
  private final CRC32 crc = new CRC32();
  private final String member;
  private final long expectedSize;
  private final long expectedCrc;
  private long count;

  CrcCheckedInputStream(InputStream in, String member, long expectedSize, long expectedCrc) {
    super(in);
    this.member = member;
    this.expectedSize = expectedSize;
    this.expectedCrc = expectedCrc;
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
      crc.update(b, off, n);
      count += n;
    } else if (n < 0 && (count != expectedSize || crc.getValue() != expectedCrc)) {
      throw new IOException(String.format(Locale.ROOT, "member %s: expected %d bytes with CRC-32 %08x as the zip's"
          + " directory records, found %d bytes with CRC-32 %08x", member, expectedSize, expectedCrc, count,
          crc.getValue()));
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("a checked zip member is read whole, not skipped");
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
