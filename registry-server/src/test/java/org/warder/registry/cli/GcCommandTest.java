package org.warder.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.Digests;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.testing.CliRun;

/**
 * {@code warder-registry gc} against a running server: lists orphan blobs and expired uploads,
 * deletes them only with {@code --delete}, never a blob any retained metadata version names, nor
 * one an in-flight publish uploaded or found within the grace period.
 */
class GcCommandTest {
  @TempDir Path tmp;
  private TestRegistry registry;
  private final Ed25519SigningKey acmeKey = Ed25519SigningKey.generate();
  private Publisher acme;
  private String data;

  @BeforeEach
  void setUp() throws Exception {
    registry = TestRegistry.create(tmp).start();
    registry.delegate("acme", List.of(acmeKey), 1, "plugins/acme/*");
    acme = registry.publisher(registry.token("acme", "acme"));
    data = registry.data.toString();
  }

  @AfterEach
  void tearDown() throws Exception {
    registry.close();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private void submit(long version, Map<String, byte[]> files) throws Exception {
    HttpResponse<byte[]> r =
        acme.submit(
            "acme",
            Publisher.targets(
                    version, Instant.now().plus(Duration.ofDays(30)), files, List.of(acmeKey))
                .toBytes());
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
  }

  private Path blob(byte[] content) {
    return registry.layout.blob(Digests.sha256Hex(content)).orElseThrow();
  }

  private static void age(Path file, Duration by) throws Exception {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(by)));
  }

  @Test
  void testGc_dryRunThenDeleteOnlyOrphansPastTheGrace() throws Exception {
    byte[] current = bytes("named by version 2");
    byte[] old = bytes("named by version 1 only");
    byte[] orphan = bytes("uploaded two days ago, never published");
    byte[] inFlight = bytes("uploaded a minute ago, about to be published");
    byte[] reused = bytes("an old orphan a publisher just found with HEAD");
    for (byte[] b : List.of(current, old, orphan, inFlight, reused)) {
      acme.upload(b);
    }
    submit(1, Map.of("plugins/acme/old", old));
    submit(2, Map.of("plugins/acme/current", current));
    for (byte[] b : List.of(current, old, orphan, reused)) {
      age(blob(b), Duration.ofDays(2));
    }
    assertThat(acme.send("HEAD", "/api/v1/blobs/" + Digests.sha256Hex(reused), null).statusCode())
        .isEqualTo(200);
    String expired = acme.start();
    acme.patch(expired, bytes("12345"), 0, 5);
    Files.writeString(
        registry.layout.uploadStartedAt(expired),
        Instant.now().minus(Duration.ofHours(30)).toString());
    age(registry.layout.uploadData(expired), Duration.ofHours(30));
    String fresh = acme.start();
    // a role file no snapshot names (as a crash between writing it and the snapshot leaves)
    // references nothing
    Files.write(
        registry.layout.metadata().resolve("3.acme.json"),
        Publisher.targets(
                3,
                Instant.now().plus(Duration.ofDays(30)),
                Map.of("plugins/acme/orphan", orphan),
                List.of(acmeKey))
            .toBytes());

    CliRun dry = CliRun.of(RegistryMain::run, "gc", "--data", data);
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out())
        .contains(
            "orphan blob     " + Digests.sha256Hex(orphan) + "  " + orphan.length + " bytes",
            "expired upload  " + expired + "  5 bytes",
            "Kept 2 orphan blobs ("
                + (inFlight.length + reused.length)
                + " bytes) stored or asked for within 24h",
            "Would delete 1 orphan blob ("
                + orphan.length
                + " bytes) and 1 expired upload session (5 bytes);"
                + " run 'warder-registry gc --delete'");
    assertThat(dry.out()).doesNotContain(Digests.sha256Hex(current), Digests.sha256Hex(old), fresh);
    assertThat(blob(orphan)).exists();
    assertThat(registry.layout.upload(expired)).exists();

    CliRun deleted = CliRun.of(RegistryMain::run, "gc", "--delete", "--data", data);
    assertThat(deleted.exitCode()).as(deleted.err()).isZero();
    assertThat(deleted.out())
        .contains(
            "Deleted 1 orphan blob (" + orphan.length + " bytes) and 1 expired upload session");
    assertThat(blob(orphan)).doesNotExist();
    assertThat(registry.layout.upload(expired)).doesNotExist();
    assertThat(blob(current)).exists();
    assertThat(blob(old)).exists(); // version 1 is retained: a client may still hold it
    assertThat(registry.layout.upload(fresh)).exists();

    // the publishes that uploaded or found their blobs before gc ran still succeed
    submit(
        3,
        Map.of(
            "plugins/acme/current",
            current,
            "plugins/acme/new",
            inFlight,
            "plugins/acme/reused",
            reused));
    HttpResponse<byte[]> served =
        registry
            .http()
            .send("GET", "/targets/plugins/acme/" + Digests.sha256Hex(inFlight) + ".new", null);
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.body()).isEqualTo(inFlight);
  }

  @Test
  void testGc_uploadLeftoversOlderThanTheMaxAge_listedThenDeleted() throws Exception {
    // what nodes that shared their sessions through a database left in this data directory
    Path parts = registry.layout.data().resolve("upload-parts");
    Path oldPart =
        Files.write(
            Files.createDirectories(parts.resolve("0c9a7e1e-7d3f-4f7a-9d7e-6f1f2b3c4d5e"))
                .resolve("0000000000000000000-a1b2c3"),
            new byte[700]);
    Path youngPart =
        Files.write(
            Files.createDirectories(parts.resolve("1d8b6f2f-8e4a-4b8b-8e8f-7a2a3c4d5e6f"))
                .resolve("0000000000000065536-d4e5f6"),
            new byte[10]);
    Path incoming = Files.createDirectories(registry.layout.uploadsIncoming());
    Path oldChunk = Files.write(incoming.resolve(".chunk.1234.tmp"), new byte[300]);
    age(oldPart, Duration.ofHours(30));
    age(oldChunk, Duration.ofHours(30));

    CliRun dry = CliRun.of(RegistryMain::run, "gc", "--data", data);
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out())
        .contains(
            "upload leftover upload-parts/0c9a7e1e-7d3f-4f7a-9d7e-6f1f2b3c4d5e/0000000000000000000-a1b2c3  700 bytes",
            "upload leftover uploads-incoming/.chunk.1234.tmp  300 bytes",
            "Would delete 2 upload leftovers (1000 bytes): parts no session names and incoming"
                + " files, older than 24h")
        .doesNotContain("1d8b6f2f");
    assertThat(oldPart).exists();
    assertThat(oldChunk).exists();

    CliRun deleted = CliRun.of(RegistryMain::run, "gc", "--delete", "--data", data);
    assertThat(deleted.exitCode()).as(deleted.err()).isZero();
    assertThat(deleted.out()).contains("Deleted 2 upload leftovers (1000 bytes)");
    assertThat(oldPart).doesNotExist();
    assertThat(oldPart.getParent())
        .as("the session's last part: its directory goes too")
        .doesNotExist();
    assertThat(oldChunk).doesNotExist();
    assertThat(youngPart).exists();
  }

  @Test
  void testGc_refusesADirectoryThatIsNoRegistry() throws Exception {
    Path elsewhere = tmp.resolve("elsewhere");
    Files.createDirectories(elsewhere.resolve("blobs"));
    CliRun run = CliRun.of(RegistryMain::run, "gc", "--delete", "--data", elsewhere.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("no registry in " + elsewhere, "give its data directory with --data");
    CliRun badGrace = CliRun.of(RegistryMain::run, "gc", "--grace", "soon", "--data", data);
    assertThat(badGrace.exitCode()).isEqualTo(2);
    assertThat(badGrace.err())
        .contains("expected --grace as N followed by s, m, h or d (e.g. 24h), found soon");
  }
}
