package org.warder.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.storage.FailPoints;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.ServerProcess;
import org.warder.registry.testing.TestRegistry;
import org.warder.registry.testing.TufClient;
import org.warder.signing.Digests;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.testing.TestFiles;

/**
 * Kills a real {@code warder-registry serve} process in the middle of uploads and publications, at
 * each named fail point and at random moments, restarts it on the same data directory without any
 * repair, and checks with the real TUF client (one trusted state kept across all restarts, so a
 * rollback would be caught) that refresh succeeds and the visible targets are exactly the set
 * before or the set after the interrupted change, never a mix.
 */
class CrashSafetyTest {
  private static final String ROLE = "acme";

  /** Kills at random moments; each costs a server start (about two seconds). */
  private static final int ROUNDS = 5;

  @TempDir Path tmp;
  private TestRegistry registry;
  private final Ed25519SigningKey key = Ed25519SigningKey.generate();
  private String token;
  private TufClient client;
  private final byte[] base =
      "the base target, present in every version\n".getBytes(StandardCharsets.UTF_8);
  private final Set<String> everyPath = new LinkedHashSet<>();

  /** One version of the role: its number and its targets. */
  record Version(long number, Map<String, byte[]> files) {}

  @BeforeEach
  void setUp() throws Exception {
    registry = TestRegistry.create(tmp);
    registry.delegate(ROLE, List.of(key), 1, "plugins/acme-*");
    token = registry.token("acme", ROLE);
    // version 1 is published by a first, in-process server: the role exists for the client
    registry.start();
    Publisher p = registry.publisher(token);
    p.upload(base);
    assertThat(p.submit(ROLE, sign(new Version(1, Map.of("plugins/acme-base", base)))).statusCode())
        .isEqualTo(200);
    registry.close();
    everyPath.add("plugins/acme-base");
    client =
        new TufClient(tmp.resolve("client"), URI.create("http://127.0.0.1:1/"), registry.root());
  }

  private byte[] sign(Version v) throws Exception {
    return Publisher.targets(
            v.number(), Instant.now().plus(Duration.ofDays(30)), v.files(), List.of(key))
        .toBytes();
  }

  private ServerProcess start(Optional<String> failPoint) throws Exception {
    return ServerProcess.start(registry.data, failPoint, tmp.resolve("logs"));
  }

  private static Map<String, String> digests(Map<String, byte[]> files) {
    Map<String, String> out = new TreeMap<>();
    files.forEach((path, bytes) -> out.put(path, Digests.sha256Hex(bytes)));
    return out;
  }

  /**
   * What the TUF client sees through {@code server}: refresh must succeed and every target verify.
   */
  private Map<String, String> visible(ServerProcess server) throws Exception {
    client = client.at(server.url());
    client.refresh();
    assertThat(TestFiles.digests(registry.layout.metadata()).keySet())
        .as("temporary files are removed when the server starts")
        .noneMatch(name -> name.endsWith(".tmp"));
    return digests(client.visible(everyPath));
  }

  private void expectHalted(ServerProcess server, String failPoint) throws Exception {
    assertThat(server.waitForExit(30))
        .as("exit status after fail point " + failPoint)
        .isEqualTo(FailPoints.HALT_STATUS);
    assertThat(server.stderr()).contains("fail point " + failPoint + " reached");
  }

  @Test
  void testKilledAtEachFailPoint_restartsConsistent() throws Exception {
    Version v1 = new Version(1, Map.of("plugins/acme-base", base));
    byte[] blob = new byte[700_000];
    new Random(42).nextBytes(blob);
    String sha256 = Digests.sha256Hex(blob);

    // 1. the upload's bytes are verified and fsynced, the process dies before the rename
    ServerProcess server = start(Optional.of(FailPoints.BLOB_AFTER_TEMP));
    Publisher p = new Publisher(new Http(server.url()), token);
    String uuid = p.start();
    for (int from = 0; from < blob.length; from += 200_000) {
      p.patch(uuid, blob, from, Math.min(blob.length, from + 200_000));
    }
    String session = uuid;
    assertThatThrownBy(() -> p.commit(session, sha256, blob.length))
        .isInstanceOf(IOException.class);
    expectHalted(server, FailPoints.BLOB_AFTER_TEMP);
    assertThat(registry.layout.blob(sha256).orElseThrow()).doesNotExist();

    // 2. restart: nothing changed for clients; the session survived whole and commits again,
    //    this time dying just after the rename into blobs/
    server = start(Optional.of(FailPoints.BLOB_AFTER_RENAME));
    assertThat(visible(server)).isEqualTo(digests(v1.files()));
    Publisher p2 = new Publisher(new Http(server.url()), token);
    HttpResponse<byte[]> offset = p2.send("HEAD", "/api/v1/uploads/" + uuid, null);
    assertThat(offset.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(blob.length));
    assertThat(p2.send("HEAD", "/api/v1/blobs/" + sha256, null).statusCode()).isEqualTo(404);
    assertThatThrownBy(() -> p2.commit(session, sha256, blob.length))
        .isInstanceOf(IOException.class);
    expectHalted(server, FailPoints.BLOB_AFTER_RENAME);
    assertThat(registry.layout.blob(sha256).orElseThrow()).hasBinaryContent(blob);

    // 3..6. the blob is there; each attempt to publish version 2 dies one step further
    List<String> publishPoints =
        List.of(
            FailPoints.PUBLISH_AFTER_ROLE, FailPoints.PUBLISH_AFTER_SNAPSHOT,
            FailPoints.PUBLISH_BEFORE_TIMESTAMP_RENAME, FailPoints.PUBLISH_AFTER_TIMESTAMP);
    Version attempt = null;
    for (int i = 0; i < publishPoints.size(); i++) {
      String point = publishPoints.get(i);
      server = start(Optional.of(point));
      assertThat(visible(server))
          .as("after a crash before the timestamp rename")
          .isEqualTo(digests(v1.files()));
      Publisher pi = new Publisher(new Http(server.url()), token);
      if (i > 0) {
        assertThat(registry.layout.metadata().resolve("2." + ROLE + ".json"))
            .as("the role file the killed attempt wrote")
            .exists();
        assertThat(pi.send("GET", "/metadata/2." + ROLE + ".json", null).statusCode())
            .as("a file no snapshot names is not served")
            .isEqualTo(404);
      }
      if (i == 0) {
        assertThat(pi.send("HEAD", "/api/v1/blobs/" + sha256, null).statusCode()).isEqualTo(200);
        assertThat(registry.layout.upload(uuid))
            .as("the committed session's debris is purged")
            .doesNotExist();
      }
      // every attempt has other bytes under the same version number: files an earlier attempt
      // left unreferenced are replaced, never trusted
      Map<String, byte[]> files = new LinkedHashMap<>(v1.files());
      files.put("plugins/acme-blob", blob);
      files.put("plugins/acme-attempt-" + i, base);
      everyPath.addAll(files.keySet());
      attempt = new Version(2, files);
      byte[] signed = sign(attempt);
      assertThatThrownBy(() -> pi.submit(ROLE, signed)).isInstanceOf(IOException.class);
      expectHalted(server, point);
    }

    // 7. the last attempt died after the timestamp rename: clients see it, whole
    server = start(Optional.empty());
    try {
      assertThat(visible(server)).isEqualTo(digests(attempt.files()));
      assertThat(client.trustedVersion(ROLE)).isEqualTo(2);
      // and the registry goes on as if nothing happened
      Publisher last = new Publisher(new Http(server.url()), token);
      Version v3 = new Version(3, Map.of("plugins/acme-base", base));
      assertThat(last.submit(ROLE, sign(v3)).statusCode()).isEqualTo(200);
      assertThat(visible(server)).isEqualTo(digests(v3.files()));
    } finally {
      server.close();
    }
  }

  @Test
  void testKilledAtRandomMoments_restartsConsistent() throws Exception {
    Random random = new Random(System.nanoTime());
    AtomicReference<Version> acked =
        new AtomicReference<>(new Version(1, Map.of("plugins/acme-base", base)));
    ServerProcess server = start(Optional.empty());
    AtomicInteger serial = new AtomicInteger();
    int accepted = 0;
    try {
      for (int round = 0; round < ROUNDS; round++) {
        AtomicReference<Version> attempted = new AtomicReference<>(acked.get());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        URI url = server.url();
        long seed = random.nextLong();
        Thread driver =
            new Thread(
                () -> {
                  Random r = new Random(seed);
                  Publisher p = new Publisher(new Http(url), token);
                  try {
                    while (true) {
                      int n = serial.incrementAndGet();
                      byte[] content =
                          new byte[r.nextInt(3) == 0 ? r.nextInt(2_000_000) : r.nextInt(20_000)];
                      r.nextBytes(content);
                      p.upload(content, 256 * 1024);
                      Map<String, byte[]> files = new LinkedHashMap<>();
                      files.put("plugins/acme-base", base);
                      files.put("plugins/acme-r" + n, content);
                      synchronized (everyPath) {
                        everyPath.add("plugins/acme-r" + n);
                      }
                      Version next = new Version(acked.get().number() + 1, files);
                      attempted.set(next);
                      HttpResponse<byte[]> answer = p.submit(ROLE, sign(next));
                      if (answer.statusCode() != 200) {
                        throw new AssertionError(
                            "submission refused: "
                                + new String(answer.body(), StandardCharsets.UTF_8));
                      }
                      acked.set(next);
                    }
                  } catch (IOException e) {
                    // the server was killed
                  } catch (Throwable e) {
                    failure.set(e);
                  }
                },
                "driver-" + round);
        driver.start();
        Thread.sleep(50 + random.nextInt(1200));
        server.kill();
        driver.join(30_000);
        assertThat(driver.isAlive()).isFalse();
        assertThat(failure.get()).as("the driver failed otherwise than by the kill").isNull();

        server = start(Optional.empty());
        Map<String, String> seen;
        synchronized (everyPath) {
          seen = visible(server);
        }
        Version before = acked.get();
        Version after = attempted.get();
        assertThat(seen)
            .as(
                "round %d: the set before (v%d) or after (v%d)",
                round, before.number(), after.number())
            .isIn(digests(before.files()), digests(after.files()));
        if (seen.equals(digests(after.files())) && after.number() != before.number()) {
          acked.set(after); // published, though the answer never arrived
        }
        accepted = (int) acked.get().number();
      }
    } finally {
      server.close();
    }
    assertThat(accepted).as("some versions were published between the kills").isGreaterThan(1);
  }

  @Test
  void testServerAndOfflineCommandsShareTheLock() throws Exception {
    long targetsBefore =
        registry.repository.load().targets("targets").orElseThrow().signed().version();
    long snapshotBefore = registry.repository.status().snapshotVersion();
    int delegations = 6;
    int publications = 12;
    try (ServerProcess server = start(Optional.empty())) {
      Publisher p = new Publisher(new Http(server.url()), token);
      List<Throwable> failures = new ArrayList<>();
      Thread publisher =
          new Thread(
              () -> {
                try {
                  for (int v = 2; v < 2 + publications; v++) {
                    Version next =
                        new Version(
                            v, Map.of("plugins/acme-base", base, "plugins/acme-v" + v, base));
                    HttpResponse<byte[]> answer = p.submit(ROLE, sign(next));
                    if (answer.statusCode() != 200) {
                      throw new AssertionError(new String(answer.body(), StandardCharsets.UTF_8));
                    }
                  }
                } catch (Throwable e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              });
      publisher.start();
      // meanwhile the owner delegates from this process, against the server's process
      for (int i = 0; i < delegations; i++) {
        registry.delegate(
            "team-" + i, List.of(Ed25519SigningKey.generate()), 1, "templates/team-" + i + "/*");
      }
      publisher.join(60_000);
      assertThat(failures).isEmpty();

      var repository = registry.repository.load();
      var targets = repository.targets("targets").orElseThrow().signed();
      assertThat(targets.version()).isEqualTo(targetsBefore + delegations);
      assertThat(targets.delegations().orElseThrow().roles())
          .extracting(r -> r.name())
          .contains(ROLE, "team-0", "team-" + (delegations - 1));
      assertThat(repository.targets(ROLE).orElseThrow().signed().version())
          .isEqualTo(1 + publications);
      // every change made its own snapshot: none was lost or overwritten
      assertThat(registry.repository.status().snapshotVersion())
          .isEqualTo(snapshotBefore + delegations + publications);
      everyPath.add("plugins/acme-v" + (1 + publications));
      assertThat(visible(server))
          .containsOnlyKeys("plugins/acme-base", "plugins/acme-v" + (1 + publications));

      // SIGTERM stops the server gracefully
      server.process().destroy();
      assertThat(server.waitForExit(20)).isIn(0, 143);
    }
  }
}
