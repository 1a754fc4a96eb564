package org.warder.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.cli.RegistryMain;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.Digests;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.StrictJson;
import org.warder.signing.testing.CliRun;

/**
 * Per-token limits set with {@code warder-registry token create}, over real HTTP: open sessions,
 * unpublished bytes (open uploads plus committed blobs no metadata names) and blob size. One token
 * at its limits leaves another untouched; publishing frees what it held.
 */
class TokenLimitsTest {
  @TempDir Path tmp;
  private TestRegistry registry;
  private final Ed25519SigningKey acmeKey = Ed25519SigningKey.generate();

  @BeforeEach
  void setUp() throws Exception {
    registry = TestRegistry.create(tmp).start();
    registry.delegate("acme", List.of(acmeKey), 1, "plugins/acme/*");
  }

  @AfterEach
  void tearDown() throws Exception {
    registry.close();
  }

  private Publisher token(String... limits) throws Exception {
    String[] args =
        new String[] {
          "token",
          "create",
          "--publisher",
          "acme",
          "--role",
          "acme",
          "--data",
          registry.data.toString()
        };
    CliRun run = CliRun.of(RegistryMain::run, concat(args, limits));
    assertThat(run.exitCode()).as(run.err()).isZero();
    return registry.publisher(run.out().strip());
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static void assertQuota(HttpResponse<byte[]> r, String... message) {
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(403);
    assertThat(Http.errorCode(r)).isEqualTo("QUOTA_EXCEEDED");
    assertThat(Http.errorMessage(r)).contains(message);
  }

  @Test
  void testLimits_openSessions() throws Exception {
    Publisher limited = token("--max-sessions", "2");
    String first = limited.start();
    limited.start();
    assertQuota(
        limited.send("POST", "/api/v1/uploads", null),
        "has 2 upload sessions open, its limit is 2",
        "commit or cancel (DELETE) one first");
    assertThat(registry.layout.uploads().toFile().list()).hasSize(2);
    assertThat(token().start()).isNotBlank(); // another token of the same publisher is not affected

    assertThat(limited.send("DELETE", "/api/v1/uploads/" + first, null).statusCode())
        .isEqualTo(204);
    assertThat(limited.send("POST", "/api/v1/uploads", null).statusCode()).isEqualTo(201);
  }

  @Test
  void testLimits_unpublishedBytesFreedByPublishing() throws Exception {
    Publisher limited = token("--max-pending", "1K");
    byte[] first = random(600, 1);
    byte[] second = random(500, 2);
    limited.upload(first); // committed, named by no metadata yet: still counted

    String uuid = limited.start();
    HttpResponse<byte[]> over = limited.patch(uuid, second, 0, second.length);
    assertQuota(
        over, "would make token", "hold 1100 bytes not yet published", "above its limit of 1024");
    assertThat(Http.json(over).at("/errors/0/detail/pending").asLong()).isEqualTo(600);
    assertThat(registry.layout.uploadData(uuid)).isEmptyFile();

    HttpResponse<byte[]> published =
        limited.submit(
            "acme",
            Publisher.targets(
                    1,
                    Instant.now().plus(Duration.ofDays(30)),
                    Map.of("plugins/acme/first", first),
                    List.of(acmeKey))
                .toBytes());
    assertThat(published.statusCode()).isEqualTo(200);
    assertThat(limited.patch(uuid, second, 0, second.length).statusCode()).isEqualTo(202);
    assertThat(limited.commit(uuid, Digests.sha256Hex(second), second.length).statusCode())
        .isEqualTo(201);
  }

  @Test
  void testLimits_blobSize() throws Exception {
    Publisher limited = token("--max-blob-size", "100");
    String uuid = limited.start();
    HttpResponse<byte[]> r = limited.patch(uuid, random(101, 3), 0, 101);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(Http.errorCode(r)).isEqualTo("TOO_LARGE");
    assertThat(Http.errorMessage(r))
        .contains("101 bytes long, above token ", "'s limit of 100 bytes per blob");
    assertThat(limited.upload(random(100, 4))).hasSize(64);
  }

  @Test
  void testLimits_listedAndDefaulted() throws Exception {
    token("--max-sessions", "3", "--max-pending", "2G", "--max-blob-size", "1G");
    token();
    CliRun json =
        CliRun.of(RegistryMain::run, "token", "list", "--json", "--data", registry.data.toString());
    var tokens = StrictJson.parse(json.out());
    assertThat(tokens.get(0).get("limits").toString())
        .isEqualTo(
            "{\"max_sessions\":3,\"max_pending_bytes\":2147483648,\"max_blob_size\":1073741824}");
    assertThat(tokens.get(1).get("limits").toString())
        .isEqualTo(
            "{\"max_sessions\":8,\"max_pending_bytes\":68719476736,\"max_blob_size\":68719476736}");
    CliRun bad =
        CliRun.of(
            RegistryMain::run,
            "token",
            "create",
            "--publisher",
            "acme",
            "--role",
            "acme",
            "--max-pending",
            "lots",
            "--data",
            registry.data.toString());
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err())
        .contains("expected --max-pending as bytes or N with K, M, G or T, found lots");
  }
}
