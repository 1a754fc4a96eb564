package org.warder.signing.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.warder.signing.Digests;

/**
 * The sha256 of each fixed-size chunk of a target, signed in its {@code custom} object as {@code
 * "chunks": {"size": 4194304, "sha256": ["<hex>", ...]}}, so that a client can check each chunk as
 * it arrives and decode it before the whole file is there. Every chunk is {@code size} bytes but
 * the last, whose length the signed length of the target implies; the number of hashes must be
 * exactly the number of chunks of that length (none for an empty file). The whole file's length and
 * hashes are signed as always and checked at the end too.
 *
 * @param size the chunk size: a power of two from {@link #MIN_SIZE} to {@link #MAX_SIZE}
 * @param sha256 lower-case hex, one per chunk, in order
 */
public record ChunkHashes(int size, List<String> sha256) {
  /** The chunk size publishers use. */
  public static final int DEFAULT_SIZE = 4 << 20;

  public static final int MIN_SIZE = 64 << 10;
  public static final int MAX_SIZE = 64 << 20;

  /** The key in a target's {@code custom} object. */
  public static final String KEY = "chunks";

  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  public ChunkHashes {
    sha256 = List.copyOf(sha256);
  }

  /** The chunk hashes of the {@code length} bytes of {@code in}, in chunks of {@code size}. */
  public static ChunkHashes of(InputStream in, long length, int size) throws IOException {
    checkSize(size)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(problem);
            });
    List<String> hashes = new ArrayList<>();
    byte[] buffer = new byte[64 * 1024];
    long left = length;
    while (left > 0) {
      MessageDigest digest = Digests.newDigest("sha256");
      long chunk = Math.min(size, left);
      for (long done = 0; done < chunk; ) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, chunk - done));
        if (n < 0) {
          throw new IOException(
              "expected "
                  + length
                  + " bytes, found "
                  + (length - left + done)
                  + ": the file ended");
        }
        digest.update(buffer, 0, n);
        done += n;
      }
      hashes.add(HexFormat.of().formatHex(digest.digest()));
      left -= chunk;
    }
    return new ChunkHashes(size, hashes);
  }

  /** How many chunks a file of {@code length} bytes has in chunks of {@code size}. */
  public static long count(long length, int size) {
    return (length + size - 1) / size;
  }

  /** The length of chunk {@code index} of a file of {@code length} bytes. */
  public int length(int index, long length) {
    return (int) Math.min(size, length - (long) index * size);
  }

  /**
   * The chunk hashes signed for {@code target}, when its {@code custom} object has {@value #KEY};
   * refused when they cannot describe it (a chunk size out of range, a count that does not fit the
   * signed length, a hash that is not sha256 hex).
   */
  public static Optional<ChunkHashes> of(TargetFile target) throws MetadataFormatException {
    Optional<JsonNode> chunks = target.custom().map(c -> c.get(KEY));
    if (chunks.isEmpty()) {
      return Optional.empty();
    }
    String what = target.path() + ": custom." + KEY;
    JsonNode node = chunks.get();
    JsonNode size = node.get("size");
    JsonNode hashes = node.get("sha256");
    if (!node.isObject()
        || node.size() != 2
        || size == null
        || !size.isIntegralNumber()
        || !size.canConvertToInt()
        || hashes == null
        || !hashes.isArray()) {
      throw new MetadataFormatException(
          what
              + ": expected {\"size\": <bytes>, \"sha256\": [<hex>, ...]} and nothing else, found "
              + node);
    }
    Optional<String> problem = checkSize(size.intValue());
    if (problem.isPresent()) {
      throw new MetadataFormatException(what + ": " + problem.get());
    }
    long expected = count(target.length(), size.intValue());
    if (hashes.size() != expected) {
      throw new MetadataFormatException(
          what
              + ": expected "
              + expected
              + " chunk hashes for "
              + target.length()
              + " bytes in chunks of "
              + size.intValue()
              + ", found "
              + hashes.size());
    }
    List<String> list = new ArrayList<>();
    for (JsonNode h : hashes) {
      if (!h.isTextual() || !HEX.matcher(h.textValue()).matches()) {
        throw new MetadataFormatException(
            what + "[" + list.size() + "]: expected lower-case sha256 hex, found " + h);
      }
      list.add(h.textValue());
    }
    return Optional.of(new ChunkHashes(size.intValue(), list));
  }

  private static Optional<String> checkSize(int size) {
    if (size < MIN_SIZE || size > MAX_SIZE || Integer.bitCount(size) != 1) {
      return Optional.of(
          "expected a chunk size that is a power of two from "
              + MIN_SIZE
              + " to "
              + MAX_SIZE
              + " bytes, found "
              + size);
    }
    return Optional.empty();
  }

  /** {@code custom} with {@value #KEY} set to these hashes (a new object when absent). */
  public ObjectNode addTo(Optional<JsonNode> custom) {
    ObjectNode out =
        custom
            .filter(JsonNode::isObject)
            .map(c -> (ObjectNode) c.deepCopy())
            .orElseGet(JsonNodeFactory.instance::objectNode);
    ObjectNode chunks = out.putObject(KEY);
    chunks.put("size", size);
    ArrayNode list = chunks.putArray("sha256");
    sha256.forEach(list::add);
    return out;
  }
}
