package org.warder.registry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.warder.registry.api.RegistryException;

/** Copies the body of a chunk (PATCH) into where an {@link UploadSessions} adapter keeps it. */
public final class ChunkCopy {
  private static final int BUFFER = 64 * 1024;

  private ChunkCopy() {}

  /**
   * What arrived: the bytes of the chunk the session keeps, and the refusal to answer when the body
   * was shorter or longer than declared (the bytes written are kept) or could not be written (none
   * is kept: the session is back at the chunk's start).
   */
  public record Copied(long kept, Optional<RegistryException> refused) {}

  /**
   * Copies up to {@code length} bytes of {@code body}, a chunk declared to start at {@code start},
   * to {@code out}. When writing fails (a full disk), the rest of the declared body is read and
   * dropped, so that the client, still sending, gets the answer rather than a reset connection.
   */
  public static Copied copy(InputStream body, long start, long length, OutputStream out) {
    byte[] buffer = new byte[BUFFER];
    long written = 0;
    try {
      while (written < length) {
        int n;
        try {
          n = body.read(buffer, 0, (int) Math.min(buffer.length, length - written));
        } catch (IOException e) {
          return new Copied(
              written, Optional.of(UploadRefusals.shortBody(start, length, written, e)));
        }
        if (n < 0) {
          return new Copied(
              written, Optional.of(UploadRefusals.shortBody(start, length, written, null)));
        }
        out.write(buffer, 0, n);
        written += n;
      }
      out.flush();
    } catch (IOException e) {
      drain(body, length - written, buffer);
      return new Copied(0, Optional.of(UploadRefusals.notStored(start, e)));
    }
    return new Copied(
        written,
        moreThanDeclared(body)
            ? Optional.of(UploadRefusals.longBody(start, length))
            : Optional.empty());
  }

  /** Reads and drops up to {@code left} bytes of {@code body}, until it ends or fails. */
  private static void drain(InputStream body, long left, byte[] buffer) {
    try {
      for (long n = 0; left > 0 && n >= 0; left -= n) {
        n = body.read(buffer, 0, (int) Math.min(buffer.length, left));
      }
    } catch (IOException e) {
      // the client went away: nobody is left to answer
    }
  }

  private static boolean moreThanDeclared(InputStream body) {
    try {
      return body.read() >= 0;
    } catch (IOException e) {
      return false; // all declared bytes arrived; a failure after them changes nothing
    }
  }
}
