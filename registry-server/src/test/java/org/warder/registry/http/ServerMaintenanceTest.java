package org.warder.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.storage.FileUploadSessions;
import org.warder.registry.storage.ReferencedBlobs;
import org.warder.registry.storage.TokenStore;
import org.warder.registry.storage.UploadSessions;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.Digests;
import org.warder.signing.Ed25519SigningKey;

/**
 * What the server does besides answering: metrics, access log, purging stale uploads, re-signing.
 */
class ServerMaintenanceTest {
  @TempDir Path tmp;
  private TestRegistry registry;

  @AfterEach
  void tearDown() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  /** A clock tests move by hand. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static long metric(String text, String name) {
    return text.lines()
        .filter(l -> l.startsWith(name + " "))
        .mapToLong(l -> Long.parseLong(l.substring(name.length() + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " in\n" + text));
  }

  @Test
  void testMetricsAndAccessLog() throws Exception {
    List<String> log = new CopyOnWriteArrayList<>();
    registry =
        TestRegistry.create(tmp)
            .start(
                s ->
                    s.withAccessLog(log::add)
                        .withMetricsListen(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
    Ed25519SigningKey key = Ed25519SigningKey.generate();
    registry.delegate("acme", List.of(key), 1, "plugins/*");
    Publisher acme = registry.publisher(registry.token("acme", "acme"));
    byte[] content = "content".getBytes(StandardCharsets.UTF_8);
    acme.upload(content, 3);
    String failing = acme.start();
    acme.commit(failing, Digests.sha256Hex(new byte[1]), 0);
    acme.submit(
        "acme",
        Publisher.targets(
                1, Instant.now().plusSeconds(3600), Map.of("plugins/x", content), List.of(key))
            .toBytes());
    acme.submit(
        "acme",
        Publisher.targets(1, Instant.now().plusSeconds(3600), Map.of(), List.of(key)).toBytes());
    acme.submit(
        "acme",
        Publisher.targets(2, Instant.now().plusSeconds(3600), Map.of("x/y", content), List.of(key))
            .toBytes());
    Http http = registry.http();
    assertThat(http.send("GET", "/healthz", null).statusCode()).isEqualTo(200);
    assertThat(http.send("GET", "/metadata/none.json", null).statusCode()).isEqualTo(404);

    HttpResponse<byte[]> scrape =
        http.send("GET", registry.server().metricsUrl().orElseThrow().toString(), null);
    assertThat(scrape.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
    String text = new String(scrape.body(), StandardCharsets.UTF_8);
    assertThat(text)
        .contains("# TYPE warder_http_requests_total counter")
        .contains("warder_http_requests_total{method=\"PATCH\",status=\"2xx\"} 3")
        .contains("warder_http_requests_total{method=\"POST\",status=\"2xx\"} 2")
        .contains("warder_http_requests_total{method=\"GET\",status=\"4xx\"} 1")
        .contains("warder_metadata_refused_total{code=\"VERSION_NOT_INCREASED\"} 1")
        .contains("warder_metadata_refused_total{code=\"PATH_NOT_DELEGATED\"} 1");
    assertThat(metric(text, "warder_uploads_started_total")).isEqualTo(2);
    assertThat(metric(text, "warder_uploads_committed_total")).isEqualTo(1);
    assertThat(metric(text, "warder_uploads_failed_total")).isEqualTo(1);
    assertThat(metric(text, "warder_metadata_accepted_total")).isEqualTo(1);
    assertThat(metric(text, "warder_http_response_bytes_total")).isPositive();
    RegistryRepository.Status status = registry.repository.status();
    assertThat(metric(text, "warder_snapshot_version")).isEqualTo(status.snapshotVersion());
    assertThat(metric(text, "warder_timestamp_version")).isEqualTo(status.timestampVersion());
    assertThat(metric(text, "warder_timestamp_expiry_timestamp_seconds"))
        .isEqualTo(status.timestampExpires().getEpochSecond());
    assertThat(metric(text, "warder_timestamp_expires_in_seconds"))
        .isBetween(23 * 3600L, 24 * 3600L);

    assertThat(log).anySatisfy(line -> assertThat(line).contains("\"GET /healthz HTTP/1.1\" 200"));
    assertThat(log)
        .anySatisfy(
            line -> assertThat(line).contains("\"PUT /api/v1/metadata/acme HTTP/1.1\" 409"));
  }

  private static void age(Path file, Duration by) throws Exception {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(by)));
  }

  private static final TokenStore.Token OWNER =
      new TokenStore.Token(
          "0123456789ab", "acme", List.of("acme"), Instant.EPOCH, TokenStore.Limits.DEFAULTS);

  private String staleSession(UploadSessions sessions) throws Exception {
    String uuid = sessions.create(OWNER);
    Path dir = registry.layout.upload(uuid);
    Files.writeString(
        dir.resolve("startedat"), Instant.now().minus(Duration.ofHours(30)).toString());
    age(dir.resolve("data"), Duration.ofHours(30));
    return uuid;
  }

  @Test
  void testStaleUploads_purgedAtStartAndPeriodically() throws Exception {
    registry = TestRegistry.create(tmp);
    UploadSessions sessions =
        new FileUploadSessions(
            registry.layout,
            new org.warder.registry.storage.FileSystemStore(registry.layout),
            new ReferencedBlobs(new org.warder.registry.storage.FileSystemStore(registry.layout)),
            Clock.systemUTC(),
            1000);
    String stale = staleSession(sessions);
    String fresh = sessions.create(OWNER);
    String startedLongAgoButWritten = staleSession(sessions);
    age(registry.layout.uploadData(startedLongAgoButWritten), Duration.ofMinutes(5));
    String debris = sessions.create(OWNER);
    Files.delete(
        registry.layout.uploadData(
            debris)); // as a crash between a commit's rename and cleanup leaves it
    Path unfinished =
        registry.layout.uploads().resolve(".0b6f0a43-6c1c-4f2b-9d55-4c5a2a8f4b10.new");
    Files.createDirectories(unfinished);
    age(unfinished, Duration.ofHours(1));
    Path foreign = registry.layout.uploads().resolve("README");
    Files.writeString(foreign, "not a session");

    registry.start(s -> s.withMaintenanceInterval(Duration.ofMillis(100)));
    assertThat(registry.layout.upload(stale)).doesNotExist();
    assertThat(registry.layout.upload(debris)).doesNotExist();
    assertThat(unfinished).doesNotExist();
    assertThat(registry.layout.upload(fresh)).exists();
    assertThat(registry.layout.upload(startedLongAgoButWritten))
        .exists(); // still being written: not stale
    assertThat(foreign).exists();

    // a session that goes stale while the server runs is purged by the periodic maintenance
    Publisher publisher = registry.publisher(registry.token("acme", "acme"));
    String running = publisher.start();
    Files.writeString(
        registry.layout.uploadStartedAt(running),
        Instant.now().minus(Duration.ofDays(2)).toString());
    age(registry.layout.uploadData(running), Duration.ofDays(2));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (Files.exists(registry.layout.upload(running)) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(registry.layout.upload(running)).doesNotExist();
    HttpResponse<byte[]> gone = publisher.send("HEAD", "/api/v1/uploads/" + running, null);
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(registry.layout.upload(fresh)).exists();
  }

  @Test
  void testRefresh_resignsTimestampThenSnapshotBeforeExpiry() throws Exception {
    registry = TestRegistry.create(tmp);
    MovableClock clock = new MovableClock(Instant.now());
    RegistryRepository repository = RegistryRepository.open(registry.layout, clock);
    RegistryRepository.Status start = repository.status();
    assertThat(repository.refresh(RegistryServer.TIMESTAMP_MARGIN, RegistryServer.SNAPSHOT_MARGIN))
        .isEqualTo(RegistryRepository.Refreshed.NOTHING);

    clock.advance(Duration.ofHours(7)); // the timestamp (1 day) has less than 18 hours left
    assertThat(repository.refresh(RegistryServer.TIMESTAMP_MARGIN, RegistryServer.SNAPSHOT_MARGIN))
        .isEqualTo(RegistryRepository.Refreshed.TIMESTAMP);
    RegistryRepository.Status resigned = repository.status();
    assertThat(resigned.timestampVersion()).isEqualTo(start.timestampVersion() + 1);
    assertThat(resigned.snapshotVersion()).isEqualTo(start.snapshotVersion());
    assertThat(resigned.timestampExpires()).isAfter(clock.instant().plus(Duration.ofHours(23)));

    clock.advance(
        Duration.ofDays(4).plusHours(1)); // the snapshot (7 days) has less than 3 days left
    assertThat(repository.refresh(RegistryServer.TIMESTAMP_MARGIN, RegistryServer.SNAPSHOT_MARGIN))
        .isEqualTo(RegistryRepository.Refreshed.SNAPSHOT_AND_TIMESTAMP);
    RegistryRepository.Status both = repository.status();
    assertThat(both.snapshotVersion()).isEqualTo(start.snapshotVersion() + 1);
    assertThat(both.timestampVersion()).isEqualTo(start.timestampVersion() + 2);
    assertThat(repository.load().snapshot().orElseThrow().signed().expires())
        .isAfter(clock.instant().plus(Duration.ofDays(6)));
  }

  @Test
  void testStart_removesTemporaryFilesACrashLeft() throws Exception {
    registry = TestRegistry.create(tmp);
    Path leftover = registry.layout.metadata().resolve(".timestamp.json.12345.tmp");
    Files.writeString(leftover, "half a timestamp");
    Path tokensLeftover = registry.layout.data().resolve(".tokens.json.999.tmp");
    Files.writeString(tokensLeftover, "{");
    registry.start();
    assertThat(leftover).doesNotExist();
    assertThat(tokensLeftover).doesNotExist();
    assertThat(
            registry.http().send("GET", "/metadata/.timestamp.json.12345.tmp", null).statusCode())
        .isEqualTo(404);
  }
}
