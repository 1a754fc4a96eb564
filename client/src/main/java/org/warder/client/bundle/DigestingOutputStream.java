package org.warder.client.bundle;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.warder.signing.Digests;

/** Passes bytes on while counting them and computing their sha256. Not thread-safe. */
final class DigestingOutputStream extends FilterOutputStream {
  private final MessageDigest sha256 = Digests.newDigest("sha256");
  private long count;

  DigestingOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    sha256.update(b, off, len);
    count += len;
  }

  long count() {
    return count;
  }

  /** The sha256 of everything written, lower-case hex; call once, at the end. */
  String sha256() {
    return HexFormat.of().formatHex(sha256.digest());
  }
}
