package org.warder.client.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.storage.RegistryLayout;
import org.warder.signing.Digests;
import org.warder.signing.testing.CliRun;
import org.warder.signing.tuf.ChunkHashes;

/**
 * {@code warder fetch -r} of a release whose base.txz spans several signed 4 MiB chunks: it is
 * decoded by {@code xz -T0} and extracted while it downloads, each chunk reaching xz only after it
 * matched; a chunk changed on the server stops the fetch at that chunk, naming it, and leaves no
 * release and no download behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamingReleaseFetchTest {
  @TempDir static Path tmp;
  static PublishedRelease published;
  static byte[] noise;

  @BeforeAll
  static void publish() throws Exception {
    noise = new byte[10 << 20]; // incompressible: base.txz takes three chunks
    new Random(5).nextBytes(noise);
    published = new PublishedRelease(tmp, Map.of("usr/share/noise.bin", noise));
  }

  @AfterAll
  static void stop() throws Exception {
    published.close();
  }

  private static Path addRepo(String host) {
    Path root = tmp.resolve(host);
    CliRun added =
        published.warder(
            root,
            "repo",
            "add",
            "main",
            published.registry.url(),
            "--root-sha256",
            published.registry.rootSha256());
    assertThat(added.exitCode()).as(added.err()).isZero();
    return root;
  }

  private static CliRun fetch(Path root) {
    return published.warder(
        root, "fetch", "-r", PublishedRelease.REL, "--repo", "main", "--arch", "amd64");
  }

  @Test
  @Order(1)
  void testFetch_severalChunks_extractedWhole() throws Exception {
    Path base = published.dist.resolve("base.txz");
    assertThat(ChunkHashes.count(Files.size(base), ChunkHashes.DEFAULT_SIZE)).isEqualTo(3);
    Path root = addRepo("host1");
    CliRun fetch = fetch(root);
    assertThat(fetch.exitCode()).as(fetch.err() + fetch.out()).isZero();
    Path releaseRoot = root.resolve("releases/" + PublishedRelease.REL + "/root");
    assertThat(releaseRoot.resolve("usr/share/noise.bin")).hasBinaryContent(noise);
    assertThat(releaseRoot.resolve("bin/busybox")).isRegularFile();
    assertThat(root.resolve("download/" + PublishedRelease.REL + "/base.txz"))
        .as("the verified copy is kept, as for a file fetched whole")
        .hasSameBinaryContentAs(base);
  }

  @Test
  @Order(2)
  void testFetch_aChangedChunkStopsTheFetchAtThatChunk_nothingLeft() throws Exception {
    Path base = published.dist.resolve("base.txz");
    String sha = Digests.sha256Hex(base);
    Path blob = new RegistryLayout(tmp.resolve("registry")).blob(sha).orElseThrow();
    byte[] bytes = Files.readAllBytes(blob);
    bytes[2 * ChunkHashes.DEFAULT_SIZE + 100] ^= 1;
    blob.toFile().setWritable(true);
    Files.write(blob, bytes);

    Path root = addRepo("host2");
    CliRun fetch = fetch(root);
    assertThat(fetch.exitCode()).isEqualTo(1);
    assertThat(fetch.err())
        .contains("base.txz chunk 2")
        .contains(
            "expected sha256 "
                + ChunkHashes.of(
                        Files.newInputStream(base), Files.size(base), ChunkHashes.DEFAULT_SIZE)
                    .sha256()
                    .get(2));
    try (Stream<Path> releases = Files.list(root.resolve("releases"))) {
      assertThat(releases).as("no release, no staging area").isEmpty();
    } catch (java.nio.file.NoSuchFileException e) {
      // nothing was ever created: just as good
    }
    try (Stream<Path> downloads = Files.walk(root.resolve("download"))) {
      assertThat(downloads.filter(Files::isRegularFile)).isEmpty();
    }
  }
}
