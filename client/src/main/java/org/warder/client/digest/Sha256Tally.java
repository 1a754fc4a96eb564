package org.warder.client.digest;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.warder.signing.Digests;

/**
 * Counts bytes and computes their sha256 at once: what every verified transfer, bundle member and
 * tree index needs. Feed it with {@link #add}, {@link #tee} or {@link #of}. Not thread-safe.
 */
public final class Sha256Tally {
  private static final int BUFFER = 256 * 1024;
  private final MessageDigest sha256 = Digests.newDigest("sha256");
  private long count;

  /** The tally of everything {@code in} holds, read to its end (not closed). */
  public static Sha256Tally of(InputStream in) throws IOException {
    Sha256Tally tally = new Sha256Tally();
    byte[] buffer = new byte[BUFFER];
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      tally.add(buffer, 0, n);
    }
    return tally;
  }

  /** Counts and hashes {@code n} bytes of {@code b} from {@code off}. */
  public void add(byte[] b, int off, int n) {
    sha256.update(b, off, n);
    count += n;
  }

  /**
   * A stream that writes to {@code out} and tallies what it writes; closing it closes {@code out}.
   */
  public OutputStream tee(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        add(b, off, len);
      }
    };
  }

  /** How many bytes were tallied. */
  public long count() {
    return count;
  }

  /** The sha256 of everything tallied, lower-case hex; call once, at the end. */
  public String sha256() {
    return HexFormat.of().formatHex(sha256.digest());
  }
}
