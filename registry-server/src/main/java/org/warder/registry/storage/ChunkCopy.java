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
   * What arrived: the bytes written, and the refusal to answer when the body was shorter or longer
   * than declared (the bytes written are kept either way).
   */
  public record Copied(long written, Optional<RegistryException> refused) {}

  /**
   * Copies up to {@code length} bytes of {@code body}, a chunk declared to start at {@code start},
   * to {@code out}.
   */
  public static Copied copy(InputStream body, long start, long length, OutputStream out)
      throws IOException {
    byte[] buffer = new byte[BUFFER];
    long written = 0;
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
    return new Copied(
        written,
        moreThanDeclared(body)
            ? Optional.of(UploadRefusals.longBody(start, length))
            : Optional.empty());
  }

  private static boolean moreThanDeclared(InputStream body) {
    try {
      return body.read() >= 0;
    } catch (IOException e) {
      return false; // all declared bytes arrived; a failure after them changes nothing
    }
  }
}
