package org.warder.client.bundle.iocage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.CRC32;
import org.warder.client.bundle.ObservedInputStream;

/**
 * A zip member's content that, at its end, checks the length and CRC-32 the zip's directory records
 * for it, and fails the read if they differ (commons-compress's {@code ZipFile} does not check
 * them). Not thread-safe.
 */
final class CrcCheckedInputStream extends ObservedInputStream {
  private final CRC32 crc = new CRC32();
  private final String member;
  private final long expectedSize;
  private final long expectedCrc;

  CrcCheckedInputStream(InputStream in, String member, long expectedSize, long expectedCrc) {
    super(in);
    this.member = member;
    this.expectedSize = expectedSize;
    this.expectedCrc = expectedCrc;
  }

  @Override
  protected void observe(byte[] b, int off, int n) {
    crc.update(b, off, n);
  }

  @Override
  protected void atEnd() throws IOException {
    if (count() != expectedSize || crc.getValue() != expectedCrc) {
      throw new IOException(
          String.format(
              Locale.ROOT,
              "member %s: expected %d bytes with CRC-32 %08x as the zip's"
                  + " directory records, found %d bytes with CRC-32 %08x",
              member,
              expectedSize,
              expectedCrc,
              count(),
              crc.getValue()));
    }
  }
}
