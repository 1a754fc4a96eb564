package org.warder.signing.tuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.signing.Digests;

class FileDigestTest {
  @TempDir Path tmp;

  @Test
  void testOneRead_givesTheLengthTheSha256AndTheChunksASignedTargetCarries() throws Exception {
    byte[] bytes = new byte[2 * ChunkHashes.DEFAULT_SIZE + 1_000];
    new Random(3).nextBytes(bytes);
    Path file = Files.write(tmp.resolve("bundle"), bytes);

    FileDigest digest = FileDigest.of(file);

    assertThat(digest.length()).isEqualTo(bytes.length);
    assertThat(digest.sha256()).isEqualTo(Digests.sha256Hex(bytes));
    assertThat(digest.chunks())
        .isEqualTo(
            ChunkHashes.of(
                new ByteArrayInputStream(bytes), bytes.length, ChunkHashes.DEFAULT_SIZE));
    assertThat(digest.chunks().sha256())
        .containsExactly(
            Digests.sha256Hex(Arrays.copyOfRange(bytes, 0, ChunkHashes.DEFAULT_SIZE)),
            Digests.sha256Hex(
                Arrays.copyOfRange(bytes, ChunkHashes.DEFAULT_SIZE, 2 * ChunkHashes.DEFAULT_SIZE)),
            Digests.sha256Hex(
                Arrays.copyOfRange(bytes, 2 * ChunkHashes.DEFAULT_SIZE, bytes.length)));

    TargetFile target =
        digest.target(
            "jails/acme/web/1.bundle", JsonNodeFactory.instance.objectNode().put("kind", "x"));
    assertThat(target.length()).isEqualTo(bytes.length);
    assertThat(target.sha256()).hasValue(digest.sha256());
    assertThat(target.custom().orElseThrow().get("kind").asText()).isEqualTo("x");
    assertThat(ChunkHashes.of(target)).hasValue(digest.chunks());
  }

  @Test
  void testAnEmptyFile_hasNoChunks() throws Exception {
    FileDigest digest = FileDigest.of(Files.write(tmp.resolve("empty"), new byte[0]));
    assertThat(digest.length()).isZero();
    assertThat(digest.chunks().sha256()).isEmpty();
    assertThat(ChunkHashes.of(digest.target("e", JsonNodeFactory.instance.objectNode())))
        .hasValue(digest.chunks());
  }
}
