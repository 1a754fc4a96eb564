package org.warder.signing.tuf;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.warder.signing.Digests;

/**
 * What a download writes, handed on to {@code next} one whole chunk at a time and only after that
 * chunk's sha256 matched the signed {@link ChunkHashes}: a decoder reading what this forwards never
 * sees a byte that was not verified. A download that starts again at an earlier offset (another
 * attempt, another mirror) says so with {@link #resumeAt}: bytes below what was forwarded already
 * are skipped as they arrive again, so nothing is forwarded twice. A failure of {@code next} is
 * thrown as a {@link ConsumerFailedException}. Holds one chunk in memory. Not thread-safe.
 */
final class ChunkForwarder extends OutputStream {
  private final TargetFile target;
  private final ChunkHashes chunks;
  private final OutputStream next;
  private final byte[] buffer;
  private long forwarded;
  private long position;
  private int filled;

  ChunkForwarder(TargetFile target, ChunkHashes chunks, OutputStream next) {
    this.target = target;
    this.chunks = chunks;
    this.next = next;
    this.buffer = new byte[(int) Math.min(chunks.size(), Math.max(1, target.length()))];
  }

  /** How many bytes, from the first, were verified and forwarded: a chunk boundary. */
  long forwarded() {
    return forwarded;
  }

  /**
   * The next byte written is byte {@code offset} of the target; a chunk not yet complete is
   * dropped. From {@link #forwarded} on, bytes must then come in order.
   */
  void resumeAt(long offset) {
    filled = 0;
    position = offset;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (position < forwarded) {
      int skip = (int) Math.min(len, forwarded - position);
      position += skip;
      off += skip;
      len -= skip;
    }
    while (len > 0) {
      if (position != forwarded + filled) {
        throw new IOException(
            target.path()
                + ": expected byte "
                + (forwarded + filled)
                + " next, found byte "
                + position
                + "; resume at a verified chunk boundary");
      }
      int index = (int) (forwarded / chunks.size());
      if (index >= chunks.sha256().size()) {
        throw new VerificationIOException(
            new DigestMismatchException(
                target.path(),
                "length",
                Long.toString(target.length()),
                "more bytes (the download goes on past the signed length)"));
      }
      int chunk = chunks.length(index, target.length());
      int n = Math.min(len, chunk - filled);
      System.arraycopy(b, off, buffer, filled, n);
      filled += n;
      position += n;
      off += n;
      len -= n;
      if (filled == chunk) {
        forward(index, chunk);
      }
    }
  }

  private void forward(int index, int chunk) throws IOException {
    MessageDigest digest = Digests.newDigest("sha256");
    digest.update(buffer, 0, chunk);
    String found = HexFormat.of().formatHex(digest.digest());
    if (!found.equals(chunks.sha256().get(index))) {
      resumeAt(forwarded);
      throw new VerificationIOException(
          new DigestMismatchException(
              target.path() + " chunk " + index + " (bytes " + forwarded + "+)",
              "sha256",
              chunks.sha256().get(index),
              found));
    }
    try {
      next.write(buffer, 0, chunk);
    } catch (IOException e) {
      throw new ConsumerFailedException(e);
    }
    forwarded += chunk;
    filled = 0;
  }
}
