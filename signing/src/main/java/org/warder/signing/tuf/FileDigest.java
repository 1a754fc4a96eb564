package org.warder.signing.tuf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.warder.signing.Digests;

/**
 * What a publisher signs for a file it publishes as a target, from one read of it: its length, its
 * sha256 and the {@link ChunkHashes} of its {@link ChunkHashes#DEFAULT_SIZE} chunks, which clients
 * check as the chunks arrive so that they can decode the file while it downloads.
 *
 * @param length the file's length in bytes
 * @param sha256 the whole file's sha256, lower-case hex
 * @param chunks the sha256 of each chunk
 */
public record FileDigest(long length, String sha256, ChunkHashes chunks) {
  /** Reads {@code file} once for its length, sha256 and chunk hashes. */
  public static FileDigest of(Path file) throws IOException {
    MessageDigest whole = Digests.newDigest("sha256");
    long length = Files.size(file);
    ChunkHashes chunks;
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), whole)) {
      chunks = ChunkHashes.of(in, length, ChunkHashes.DEFAULT_SIZE);
      if (in.read() >= 0) {
        throw new IOException(file + " grew while it was read; publish it once it is complete");
      }
    }
    return new FileDigest(length, HexFormat.of().formatHex(whole.digest()), chunks);
  }

  /** The target {@code path} of this file: its length and sha256, the chunks in {@code custom}. */
  public TargetFile target(String path, ObjectNode custom) {
    return new TargetFile(
        path, length, Map.of("sha256", sha256), Optional.of(chunks.addTo(Optional.of(custom))));
  }
}
