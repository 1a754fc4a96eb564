package org.warder.client.release;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * matched; a copy already in the download directory is checked chunk by chunk the same way, and
 * only what fails is fetched; a chunk changed on the server stops the fetch at that chunk, naming
 * it, and leaves no release and no download behind.
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
    return addRepo(host, published.registry.url());
  }

  /** A new host that trusts the registry, reached at {@code url}, as repository "main". */
  private static Path addRepo(String host, String url) {
    Path root = tmp.resolve(host);
    CliRun added =
        published.warder(
            root, "repo", "add", "main", url, "--root-sha256", published.registry.rootSha256());
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

  /**
   * Fetches on a new host whose repository is the registry behind a recording proxy, with {@code
   * cached} already in its download directory; returns the proxy's requests of base.txz.
   */
  private static List<LoggedRequest> fetchWithCachedCopy(String host, byte[] cached)
      throws Exception {
    WireMockServer proxy = new WireMockServer(options().dynamicPort());
    proxy.start();
    try {
      proxy.stubFor(
          any(anyUrl())
              .willReturn(aResponse().proxiedFrom(published.registry.url().replaceAll("/$", ""))));
      Path root = addRepo(host, proxy.baseUrl() + "/");
      Path copy = root.resolve("download/" + PublishedRelease.REL + "/base.txz");
      Files.createDirectories(copy.getParent());
      Files.write(copy, cached);

      CliRun fetch = fetch(root);
      assertThat(fetch.exitCode()).as(fetch.err() + fetch.out()).isZero();
      assertThat(root.resolve("releases/" + PublishedRelease.REL + "/root/usr/share/noise.bin"))
          .hasBinaryContent(noise);
      assertThat(copy).hasSameBinaryContentAs(published.dist.resolve("base.txz"));
      return proxy.findAll(getRequestedFor(urlMatching(".*\\.base\\.txz")));
    } finally {
      proxy.stop();
    }
  }

  @Test
  @Order(2)
  void testFetch_aGoodCachedCopyIsExtractedChunkByChunkWithoutARequest() throws Exception {
    assertThat(fetchWithCachedCopy("host3", Files.readAllBytes(published.dist.resolve("base.txz"))))
        .isEmpty();
  }

  @Test
  @Order(3)
  void testFetch_aCachedCopyWithABadChunk_onlyThatChunkOnIsFetched() throws Exception {
    byte[] cached = Files.readAllBytes(published.dist.resolve("base.txz"));
    cached[ChunkHashes.DEFAULT_SIZE + 1000] ^= 1;
    assertThat(fetchWithCachedCopy("host4", cached))
        .singleElement()
        .extracting(r -> r.getHeader("Range"))
        .isEqualTo("bytes=" + ChunkHashes.DEFAULT_SIZE + "-");
  }

  @Test
  @Order(4)
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
