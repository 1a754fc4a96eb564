package org.warder.registry.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.cli.RegistryMain;
import org.warder.registry.storage.FailPoints;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.PostgresDatabase;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.ServerProcess;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.Digests;
import org.warder.signing.testing.CliRun;

/**
 * Halts a real {@code warder-registry serve --database-url} process on the shared upload path (a
 * chunk stored as a part but not recorded; a commit assembled but not put into the store), restarts
 * it, and checks that the client's retry gets the blob stored whole and that what the dead process
 * left (a part no session names, a file in {@code uploads-incoming/}, a session left closing) is
 * listed by {@code gc} and purged by the server once older than the upload max age.
 */
class SharedUploadCrashTest {
  @RegisterExtension final PostgresDatabase postgres = new PostgresDatabase();

  @TempDir Path tmp;
  private TestRegistry registry;
  private String token;
  private final List<String> database = new ArrayList<>();
  private final byte[] blob = new byte[300_000];
  private String sha256 = "";

  @BeforeEach
  void setUp() throws Exception {
    registry = TestRegistry.create(tmp.resolve("registry"));
    database.addAll(postgres.options(tmp.resolve("db.password")));
    token =
        new PostgresTokenStore(postgres.open(), Clock.systemUTC())
            .create("acme", List.of("acme"))
            .secret();
    new Random(12).nextBytes(blob);
    sha256 = Digests.sha256Hex(blob);
  }

  private ServerProcess serve(Optional<String> failPoint, String... options) throws Exception {
    List<String> all = new ArrayList<>(database);
    all.addAll(List.of(options));
    return ServerProcess.start(
        registry.data, failPoint, tmp.resolve("logs"), all.toArray(String[]::new));
  }

  private static void expectHalted(ServerProcess server, String failPoint) throws Exception {
    assertThat(server.waitForExit(30))
        .as("exit status after fail point " + failPoint)
        .isEqualTo(FailPoints.HALT_STATUS);
    assertThat(server.stderr()).contains("fail point " + failPoint + " reached");
  }

  /** The files under {@code dir}, relative to the data directory; none when it does not exist. */
  private List<String> files(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile)
          .map(f -> registry.data.relativize(f).toString())
          .sorted()
          .toList();
    }
  }

  private CliRun gcDryRunWithMaxAgeOneSecond() {
    List<String> args =
        new ArrayList<>(
            List.of("gc", "--data", registry.data.toString(), "--upload-max-age", "1s"));
    args.addAll(database);
    return CliRun.of(RegistryMain::run, args.toArray(String[]::new));
  }

  private static void expectStatus(HttpResponse<byte[]> response, int status) {
    assertThat(response.statusCode())
        .as(new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo(status);
  }

  @Test
  void testHaltedBetweenStoringAPartAndRecordingIt_retryCommits_orphanPurged() throws Exception {
    ServerProcess server = serve(Optional.of(FailPoints.UPLOAD_AFTER_PART_STORED));
    Publisher first = new Publisher(new Http(server.url()), token);
    String uuid = first.start();
    assertThatThrownBy(() -> first.patch(uuid, blob, 0, 100_000)).isInstanceOf(IOException.class);
    expectHalted(server, FailPoints.UPLOAD_AFTER_PART_STORED);
    Path parts = registry.data.resolve("upload-parts");
    List<String> orphan = files(parts);
    assertThat(orphan).as("the part stored before the halt").hasSize(1);
    assertThat(orphan.get(0)).startsWith("upload-parts/" + uuid + "/0000000000000000000-");
    assertThat(postgres.rows("upload_part")).as("no record names it").isZero();

    server = serve(Optional.empty());
    try {
      Publisher retry = new Publisher(new Http(server.url()), token);
      HttpResponse<byte[]> offset = retry.send("HEAD", "/api/v1/uploads/" + uuid, null);
      assertThat(offset.headers().firstValue("Upload-Offset")).hasValue("0");
      expectStatus(retry.patch(uuid, blob, 0, 100_000), 202);
      expectStatus(retry.patch(uuid, blob, 100_000, blob.length), 202);
      expectStatus(retry.commit(uuid, sha256, blob.length), 201);
      assertThat(registry.layout.blob(sha256).orElseThrow()).hasBinaryContent(blob);
      assertThat(files(parts)).as("the commit removed its parts, not the orphan").isEqualTo(orphan);
    } finally {
      server.close();
    }

    Thread.sleep(1500); // older than an upload max age of 1 s
    CliRun dry = gcDryRunWithMaxAgeOneSecond();
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out())
        .contains("upload leftover " + orphan.get(0) + "  100000 bytes")
        .contains("Would delete 1 upload leftover (100000 bytes)");
    assertThat(files(parts)).isEqualTo(orphan);

    // a server purges at start as in each maintenance round
    serve(Optional.empty(), "--upload-max-age", "1s").close();
    assertThat(files(parts)).isEmpty();
    assertThat(registry.layout.blob(sha256).orElseThrow()).hasBinaryContent(blob);
  }

  @Test
  void testHaltedBeforeTheCommitsPut_aNewUploadStores_leftoversPurged() throws Exception {
    ServerProcess server = serve(Optional.of(FailPoints.UPLOAD_BEFORE_COMMIT_PUT));
    Publisher first = new Publisher(new Http(server.url()), token);
    String uuid = first.start();
    expectStatus(first.patch(uuid, blob, 0, 150_000), 202);
    expectStatus(first.patch(uuid, blob, 150_000, blob.length), 202);
    assertThatThrownBy(() -> first.commit(uuid, sha256, blob.length))
        .isInstanceOf(IOException.class);
    expectHalted(server, FailPoints.UPLOAD_BEFORE_COMMIT_PUT);
    Path incoming = registry.layout.uploadsIncoming();
    assertThat(files(incoming)).as("the assembled blob").hasSize(1);
    assertThat(Files.size(registry.data.resolve(files(incoming).get(0)))).isEqualTo(blob.length);
    assertThat(registry.layout.blob(sha256).orElseThrow()).doesNotExist();

    server = serve(Optional.empty());
    try {
      Publisher retry = new Publisher(new Http(server.url()), token);
      // the session was closing when its node died: no node commits it, nothing became visible
      assertThat(Http.errorCode(retry.commit(uuid, sha256, blob.length)))
          .isEqualTo("UPLOAD_UNKNOWN");
      assertThat(retry.upload(blob, 100_000)).isEqualTo(sha256);
      assertThat(registry.layout.blob(sha256).orElseThrow()).hasBinaryContent(blob);
    } finally {
      server.close();
    }
    assertThat(postgres.rows("upload_session")).as("the closing session").isOne();

    Thread.sleep(1500);
    CliRun dry = gcDryRunWithMaxAgeOneSecond();
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out())
        .contains("expired upload  " + uuid + "  " + blob.length + " bytes")
        .contains("upload leftover " + files(incoming).get(0) + "  " + blob.length + " bytes");

    serve(Optional.empty(), "--upload-max-age", "1s").close();
    assertThat(files(incoming)).isEmpty();
    assertThat(files(registry.data.resolve("upload-parts"))).isEmpty();
    assertThat(postgres.rows("upload_session")).isZero();
    assertThat(postgres.rows("upload_part")).isZero();
  }
}
