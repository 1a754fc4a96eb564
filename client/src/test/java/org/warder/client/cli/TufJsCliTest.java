package org.warder.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.signing.Digests;
import org.warder.signing.testing.CliRun;
import org.warder.signing.testing.StaticHttpServer;
import org.warder.signing.testing.TestFiles;
import org.warder.signing.testing.TufJsRepository;
import org.warder.signing.tuf.Urls;

/**
 * {@code warder tuf} against a TUF 1.0 repository that warder did not write: the one the signing
 * module's {@link TufJsRepository} generates with tuf-js, served as static files over real HTTP.
 *
 * <p>Needs Node.js and npm ({@code npm ci} runs in the generator's directory when its node_modules
 * is missing). Without them, or when {@code npm ci} fails, the tests are skipped with a message on
 * stderr, except under CI ({@code CI=true}), where that is a failure.
 */
class TufJsCliTest {
  private static final String BASE_TXZ = "releases/14.2-RELEASE/amd64/base.txz";
  private static final String PLUGINS = "plugins/index.json";

  @TempDir static Path generated;
  private static TufJsRepository tufjs;

  @TempDir Path tmp;
  private Path www;
  private Path metadataDir;
  private Path targetDir;
  private JsonNode expected;
  private StaticHttpServer server;

  @BeforeAll
  static void generateRepository() throws Exception {
    tufjs = TufJsRepository.generate(generated);
  }

  @BeforeEach
  void setUp() throws Exception {
    tufjs.assumeAvailable("tuf-js CLI interoperability");
    www = tufjs.copyTo(tmp.resolve("www"));
    metadataDir = tmp.resolve("md");
    targetDir = tmp.resolve("out");
    expected = tufjs.expected();
    server = new StaticHttpServer(www);
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  @DisplayName(
      "init, refresh and download of both targets (one delegated) from the tuf-js repository")
  void testInitRefreshDownload() throws Exception {
    CliRun init = init();
    assertThat(init.exitCode()).as(init.err()).isZero();
    assertThat(server.requests()).isEmpty();

    CliRun refresh = tuf("refresh");
    assertThat(refresh.exitCode()).as(refresh.err()).isZero();
    assertThat(refresh.err()).isEmpty();
    assertThat(server.requests())
        .containsExactly(
            "/metadata/2.root.json",
            "/metadata/3.root.json",
            "/metadata/timestamp.json",
            "/metadata/2.snapshot.json",
            "/metadata/1.targets.json");
    assertThat(TestFiles.digests(metadataDir))
        .containsOnlyKeys("root.json", "timestamp.json", "snapshot.json", "targets.json");
    assertThat(metadataDir.resolve("root.json"))
        .hasSameBinaryContentAs(www.resolve("metadata/2.root.json"));

    CliRun download = download(targetDir, PLUGINS, BASE_TXZ);
    assertThat(download.exitCode()).as(download.err()).isZero();
    assertThat(download.err()).isEmpty();
    for (String path : List.of(PLUGINS, BASE_TXZ)) {
      Path file = targetDir.resolve(Urls.quote(path));
      byte[] bytes = Files.readAllBytes(file);
      assertThat(Digests.sha256Hex(bytes)).isEqualTo(expectedTarget(path).get("sha256").asText());
      assertThat((long) bytes.length).isEqualTo(expectedTarget(path).get("length").asLong());
    }
    assertThat(TestFiles.digests(targetDir)).hasSize(2); // no temporary file left
    assertThat(expectedTarget(BASE_TXZ).get("role").asText()).isEqualTo("releases");
    assertThat(metadataDir.resolve("releases.json"))
        .hasSameBinaryContentAs(www.resolve("metadata/1.releases.json"));
    assertThat(server.requests())
        .contains(
            "/targets/plugins/" + expectedTarget(PLUGINS).get("sha256").asText() + ".index.json",
            "/targets/releases/14.2-RELEASE/amd64/"
                + expectedTarget(BASE_TXZ).get("sha256").asText()
                + ".base.txz");
  }

  @Test
  @DisplayName(
      "a byte flipped in the served delegated target: download into a fresh directory exits 1, leaves no file")
  void testDownload_tamperedTargetRefused() throws Exception {
    assertThat(init().exitCode()).isZero();
    Path first = tmp.resolve("first");
    CliRun ok = download(first, PLUGINS, BASE_TXZ);
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    Map<String, String> trusted = TestFiles.digests(metadataDir);
    Map<String, String> firstFiles = TestFiles.digests(first);

    String sha256 = expectedTarget(BASE_TXZ).get("sha256").asText();
    Path served = www.resolve("targets/releases/14.2-RELEASE/amd64/" + sha256 + ".base.txz");
    byte[] bytes = Files.readAllBytes(served);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(served, bytes);

    CliRun run = download(targetDir, BASE_TXZ);
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .startsWith("warder: ")
        .hasLineCount(1)
        .contains(BASE_TXZ + ": expected sha256 " + sha256 + ", found " + Digests.sha256Hex(bytes));
    assertThat(TestFiles.digests(targetDir)).isEmpty();
    assertThat(TestFiles.digests(metadataDir)).isEqualTo(trusted);
    assertThat(TestFiles.digests(first)).isEqualTo(firstFiles);
  }

  // --- helpers ---------------------------------------------------------------------------------

  private CliRun init() {
    return TufCli.init(metadataDir, www.resolve("trusted-root.json"));
  }

  private CliRun tuf(String... command) {
    return TufCli.run(metadataDir, server, command);
  }

  private CliRun download(Path dir, String... names) {
    return TufCli.download(metadataDir, server, dir, names);
  }

  private JsonNode expectedTarget(String path) {
    JsonNode node = expected.get("targets").get(path);
    assertThat(node).as("expected.json lists %s", path).isNotNull();
    return node;
  }
}
