package org.warder.signing.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.warder.signing.Digests;
import org.warder.signing.StrictJson;

/** Chunk hashes signed in a target's custom object, and the stream that checks each chunk. */
class ChunkVerifyingInputStreamTest {
  private static final int SIZE = ChunkHashes.MIN_SIZE;

  private static byte[] random(int length, long seed) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** A target for {@code content} with its chunk hashes signed in custom. */
  private static TargetFile target(byte[] content) throws Exception {
    ChunkHashes chunks = ChunkHashes.of(new ByteArrayInputStream(content), content.length, SIZE);
    return new TargetFile(
        "releases/14.2-RELEASE/amd64/base.txz",
        content.length,
        Map.of("sha256", Digests.sha256Hex(content)),
        Optional.of(chunks.addTo(Optional.empty())));
  }

  private static ChunkVerifyingInputStream stream(TargetFile target, byte[] served)
      throws Exception {
    return new ChunkVerifyingInputStream(
        new ByteArrayInputStream(served), target, ChunkHashes.of(target).orElseThrow());
  }

  /** Reads {@code in} in small reads until it fails or ends; what it handed on, and the failure. */
  private static Object[] drain(InputStream in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[1000];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
      return new Object[] {out.toByteArray(), null};
    } catch (IOException e) {
      return new Object[] {out.toByteArray(), e};
    }
  }

  @Test
  void verifiedChunksAreHandedOnAndTheEndComesAfterTheWholeFileMatched() throws Exception {
    byte[] content = random(5 * SIZE - 1234, 1);
    TargetFile target = target(content);
    assertThat(ChunkHashes.of(target).orElseThrow().sha256()).hasSize(5);

    Object[] read = drain(stream(target, content));

    assertThat(read[1]).isNull();
    assertThat((byte[]) read[0]).isEqualTo(content);
  }

  @Test
  void aChangedByteStopsTheStreamBeforeAnyByteOfItsChunk() throws Exception {
    byte[] content = random(5 * SIZE, 2);
    TargetFile target = target(content);
    byte[] served = content.clone();
    served[2 * SIZE + 77] ^= 1;

    Object[] read = drain(stream(target, served));

    assertThat((byte[]) read[0])
        .as("exactly chunks 0 and 1, verified")
        .isEqualTo(Arrays.copyOf(content, 2 * SIZE));
    assertThat((Throwable) read[1])
        .isInstanceOfSatisfying(
            VerificationIOException.class,
            e -> assertThat(e.reason()).isInstanceOf(DigestMismatchException.class))
        .hasMessageContaining("base.txz chunk 2 (bytes " + 2 * SIZE + "+): expected sha256");
  }

  @Test
  void aTruncatedDownloadStopsAtTheChunkItEndedIn() throws Exception {
    byte[] content = random(4 * SIZE + 10, 3);
    TargetFile target = target(content);

    Object[] read = drain(stream(target, Arrays.copyOf(content, 3 * SIZE + 5)));

    assertThat((byte[]) read[0]).isEqualTo(Arrays.copyOf(content, 3 * SIZE));
    assertThat((Throwable) read[1])
        .isInstanceOf(VerificationIOException.class)
        .hasMessageContaining("the download ended in chunk 3");
  }

  @Test
  void bytesPastTheSignedLengthAreAnErrorNotAnEnd() throws Exception {
    byte[] content = random(2 * SIZE + 3, 4);
    TargetFile target = target(content);
    byte[] served = Arrays.copyOf(content, content.length + 1);

    Object[] read = drain(stream(target, served));

    assertThat((Throwable) read[1])
        .isInstanceOf(VerificationIOException.class)
        .hasMessageContaining("goes on past the signed length");
  }

  @Test
  void chunksThatMatchAListSignedForOtherBytesFailTheWholeFileHash() throws Exception {
    byte[] content = random(3 * SIZE, 5);
    TargetFile honest = target(content);
    TargetFile lying =
        new TargetFile(
            honest.path(),
            honest.length(),
            Map.of("sha256", Digests.sha256Hex(random(3 * SIZE, 6))),
            honest.custom());

    Object[] read = drain(stream(lying, content));

    assertThat((Throwable) read[1])
        .isInstanceOf(VerificationIOException.class)
        .hasMessageContaining("expected sha256");
  }

  @Test
  void anEmptyFileHasNoChunksAndEndsAtOnce() throws Exception {
    TargetFile target = target(new byte[0]);
    assertThat(ChunkHashes.of(target).orElseThrow().sha256()).isEmpty();
    assertThat(stream(target, new byte[0]).read()).isEqualTo(-1);
  }

  @Test
  void chunkListsThatCannotDescribeTheTargetAreRefused() throws Exception {
    byte[] content = random(2 * SIZE + 1, 7);
    String hex = "ab".repeat(32);
    Map<String, String> refused =
        Map.of(
            "{\"size\": 65536, \"sha256\": [\"" + hex + "\", \"" + hex + "\"]}",
            "expected 3 chunk hashes for " + content.length + " bytes in chunks of 65536, found 2",
            "{\"size\": 100000, \"sha256\": []}",
            "expected a chunk size that is a power of two",
            "{\"size\": 1024, \"sha256\": []}",
            "from 65536 to 67108864 bytes, found 1024",
            "{\"size\": 65536, \"sha256\": [\"" + hex + "\", \"" + hex + "\", \"AB\"]}",
            "[2]: expected lower-case sha256 hex, found \"AB\"",
            "{\"size\": 65536, \"sha256\": [], \"more\": 1}",
            "and nothing else",
            "[65536]",
            "expected {\"size\": <bytes>");
    for (Map.Entry<String, String> e : refused.entrySet()) {
      JsonNode custom =
          StrictJson.parseObject(
              ("{\"chunks\": " + e.getKey() + "}").getBytes(StandardCharsets.UTF_8));
      TargetFile target =
          new TargetFile("x", content.length, Map.of("sha256", hex), Optional.of(custom));
      assertThatThrownBy(() -> ChunkHashes.of(target))
          .as(e.getKey())
          .isInstanceOf(MetadataFormatException.class)
          .hasMessageContaining("x: custom.chunks")
          .hasMessageContaining(e.getValue());
    }
    assertThat(ChunkHashes.of(TargetFile.of("old", 10, hex)))
        .as("no custom: the old way")
        .isEmpty();
  }
}
