package org.warder.signing.tuf;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.warder.signing.Digests;

/**
 * The bytes of a target as they arrive, handed on one whole chunk at a time and only after that
 * chunk's sha256 matched the signed {@link ChunkHashes}: a decoder reading this stream never sees a
 * byte that was not verified. The whole file's signed length and hashes are checked too; the end of
 * the stream is reported only after they matched and the source ended exactly at the signed length.
 * Any mismatch is a {@link VerificationIOException} (whose {@link VerificationIOException#reason}
 * says which chunk, what was expected and what was found) before any byte of the bad chunk is
 * handed on. Holds one chunk in memory. Not thread-safe.
 */
public final class ChunkVerifyingInputStream extends InputStream {
  private final InputStream source;
  private final TargetFile target;
  private final ChunkHashes chunks;
  private final Map<String, MessageDigest> whole;
  private final byte[] buffer;
  private int index;
  private int position;
  private int limit;
  private boolean ended;

  /**
   * Verifies {@code source}, the bytes of {@code target} from its first byte, against {@code
   * chunks} (signed for it) and its signed hashes.
   */
  public ChunkVerifyingInputStream(InputStream source, TargetFile target, ChunkHashes chunks)
      throws UnsupportedHashException {
    this.source = source;
    this.target = target;
    this.chunks = chunks;
    this.whole = LengthAndHashes.digests(target.path(), target.hashes());
    this.buffer = new byte[(int) Math.min(chunks.size(), Math.max(1, target.length()))];
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (position == limit && !fill()) {
      return -1;
    }
    int n = Math.min(len, limit - position);
    System.arraycopy(buffer, position, b, off, n);
    position += n;
    return n;
  }

  @Override
  public int available() {
    return limit - position;
  }

  /** Reads and verifies the next chunk; false at the verified end. */
  private boolean fill() throws IOException {
    if (ended) {
      return false;
    }
    if (index == chunks.sha256().size()) {
      finish();
      return false;
    }
    int length = chunks.length(index, target.length());
    int got = source.readNBytes(buffer, 0, length);
    if (got < length) {
      fail(
          new DigestMismatchException(
              target.path(),
              "length",
              Long.toString(target.length()),
              ((long) index * chunks.size() + got)
                  + " (the download ended in chunk "
                  + index
                  + ")"));
    }
    MessageDigest digest = Digests.newDigest("sha256");
    digest.update(buffer, 0, length);
    String found = HexFormat.of().formatHex(digest.digest());
    if (!found.equals(chunks.sha256().get(index))) {
      fail(
          new DigestMismatchException(
              target.path() + " chunk " + index + " (bytes " + (long) index * chunks.size() + "+)",
              "sha256",
              chunks.sha256().get(index),
              found));
    }
    whole.values().forEach(d -> d.update(buffer, 0, length));
    index++;
    position = 0;
    limit = length;
    return true;
  }

  private void finish() throws IOException {
    if (source.read() >= 0) {
      fail(
          new DigestMismatchException(
              target.path(),
              "length",
              Long.toString(target.length()),
              "more bytes (the download goes on past the signed length)"));
    }
    try {
      LengthAndHashes.check(target.path(), whole, target.hashes());
    } catch (DigestMismatchException e) {
      fail(e);
    }
    ended = true;
  }

  private void fail(TufException reason) throws VerificationIOException {
    ended = true;
    position = 0;
    limit = 0;
    throw new VerificationIOException(reason);
  }

  @Override
  public void close() throws IOException {
    source.close();
  }
}
