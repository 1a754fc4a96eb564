package org.warder.registry.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.http.RegistryServer;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.shared.SharedState;
import org.warder.registry.storage.GarbageCollector;
import org.warder.registry.storage.ReferencedBlobs;
import org.warder.registry.storage.RegistryStore;
import org.warder.registry.storage.S3Store;
import org.warder.registry.storage.StoreKeys;
import org.warder.registry.storage.TokenStore;
import org.warder.registry.storage.UploadSessions;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.PostgresDatabase;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.S3ProxyServer;
import org.warder.registry.testing.SmallFileSystem;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.Digests;
import org.warder.signing.testing.TestFiles;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Upload sessions shared by three registry servers in this JVM over one bucket (S3Proxy) and one
 * real PostgreSQL database: each request of one session goes to another node.
 */
class SharedUploadSessionsTest {
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static final String PREFIX = "registry";

  @RegisterExtension final PostgresDatabase postgres = new PostgresDatabase();
  @TempDir static Path s3dir;
  private static S3ProxyServer s3;
  private static S3Client client;

  @TempDir Path tmp;
  private TestRegistry registry;
  private RegistryStore store;
  private String bucket;
  private final List<SharedState> states = new ArrayList<>();
  private final List<RegistryServer> servers = new ArrayList<>();
  private final StringWriter errors = new StringWriter();

  @BeforeAll
  static void startS3() throws Exception {
    s3 = new S3ProxyServer(s3dir);
    client = s3.client();
  }

  @AfterAll
  static void stopS3() throws Exception {
    client.close();
    s3.stop();
  }

  @BeforeEach
  void setUp() throws Exception {
    bucket = s3.createBucket("uploads-" + BUCKETS.incrementAndGet());
    registry = TestRegistry.create(tmp, layout -> new S3Store(client, bucket, PREFIX));
    store = registry.repository.store();
    for (int i = 0; i < 3; i++) {
      SharedState state =
          PostgresState.open(
              postgres.open(),
              Clock.systemUTC(),
              PostgresSignerLease.DURATION,
              PostgresSignerLease.RENEW_EVERY,
              new PrintWriter(errors, true));
      states.add(state);
      RegistryServer server =
          new RegistryServer(
              RegistryRepository.open(
                  registry.layout, store, Clock.systemUTC(), state.coordination()),
              state.tokens(),
              state.uploads(),
              RegistryServer.Settings.defaults(
                      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                  .withStopTimeout(Duration.ofMillis(500)),
              Optional.empty(),
              new PrintWriter(errors, true));
      server.start();
      servers.add(server);
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    for (RegistryServer server : servers) {
      server.close();
    }
    for (SharedState state : states) {
      state.close();
    }
  }

  /** The publisher of {@code token} talking to node {@code node}. */
  private Publisher on(int node, String token) {
    return new Publisher(new Http(servers.get(node).url()), token);
  }

  private String token(TokenStore.Limits limits) throws Exception {
    return states.get(0).tokens().create("acme", List.of("acme"), limits).secret();
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /**
   * The upload parts in the bucket (S3Proxy over a directory also lists directories: not parts).
   */
  private long parts() {
    return client
        .listObjectsV2(r -> r.bucket(bucket).prefix(PREFIX + "/" + StoreKeys.PARTS))
        .contents()
        .stream()
        .filter(o -> !o.key().endsWith("/"))
        .count();
  }

  private static String uuidOf(HttpResponse<byte[]> created) {
    assertThat(created.statusCode())
        .as(new String(created.body(), StandardCharsets.UTF_8))
        .isEqualTo(201);
    return Http.json(created).get("uuid").asText();
  }

  private static long offset(Publisher publisher, String uuid) throws Exception {
    HttpResponse<byte[]> got = publisher.send("GET", "/api/v1/uploads/" + uuid, null);
    assertThat(got.statusCode()).as(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    return Http.json(got).get("offset").asLong();
  }

  @Test
  void testSession_startedOnA_appendedThroughBAndA_committedThroughC() throws Exception {
    String token = token(TokenStore.Limits.DEFAULTS);
    byte[] content = random(200_000, 1);
    String uuid = uuidOf(on(0, token).send("POST", "/api/v1/uploads", null));

    assertThat(on(1, token).patch(uuid, content, 0, 70_000).statusCode()).isEqualTo(202);
    assertThat(offset(on(2, token), uuid)).isEqualTo(70_000);
    assertThat(on(0, token).patch(uuid, content, 70_000, 140_000).statusCode()).isEqualTo(202);
    HttpResponse<byte[]> stale = on(2, token).patch(uuid, content, 0, 10);
    assertThat(Http.errorCode(stale)).isEqualTo("RANGE_INVALID");
    assertThat(on(1, token).patch(uuid, content, 140_000, 200_000).statusCode()).isEqualTo(202);
    assertThat(offset(on(0, token), uuid)).isEqualTo(200_000);
    assertThat(parts()).isEqualTo(3);
    assertThat(store.blobLength(Digests.sha256Hex(content))).isEmpty();

    String sha256 = Digests.sha256Hex(content);
    HttpResponse<byte[]> commit = on(2, token).commit(uuid, sha256, content.length);
    assertThat(commit.statusCode())
        .as(new String(commit.body(), StandardCharsets.UTF_8))
        .isEqualTo(201);
    assertThat(Http.json(commit).get("length").asLong()).isEqualTo(200_000);

    try (InputStream blob = store.openBlob(sha256, 0)) {
      assertThat(blob.readAllBytes()).isEqualTo(content);
    }
    for (int node = 0; node < 3; node++) {
      HttpResponse<byte[]> head = on(node, token).send("HEAD", "/api/v1/blobs/" + sha256, null);
      assertThat(head.statusCode()).isEqualTo(200);
      HttpResponse<byte[]> gone = on(node, token).send("GET", "/api/v1/uploads/" + uuid, null);
      assertThat(Http.errorCode(gone)).isEqualTo("UPLOAD_UNKNOWN");
    }
    assertThat(parts()).isZero();
    assertThat(postgres.rows("upload_session")).isZero();
    assertThat(postgres.rows("upload_part")).isZero();
    assertThat(errors.toString()).isEmpty();
  }

  @Test
  void testPatch_aChunkTheNodeCannotStoreKeepsNothingAndIs507WithTheOffset() throws Exception {
    String token = token(TokenStore.Limits.DEFAULTS);
    byte[] content = random(3 * 1024 * 1024, 5);
    String uuid = uuidOf(on(0, token).send("POST", "/api/v1/uploads", null));
    assertThat(on(0, token).patch(uuid, content, 0, 100_000).statusCode()).isEqualTo(202);

    // node 1 receives chunks in its uploads-incoming/ first: a 1 MiB disk there
    try (SmallFileSystem incoming =
        SmallFileSystem.mount(registry.layout.uploadsIncoming(), 1024 * 1024)) {
      HttpResponse<byte[]> full = on(1, token).patch(uuid, content, 100_000, content.length);
      assertThat(full.statusCode()).isEqualTo(507);
      assertThat(Http.errorCode(full)).isEqualTo("UPLOAD_NOT_STORED");
      assertThat(full.headers().firstValue("Upload-Offset")).hasValue("100000");
      assertThat(TestFiles.digests(incoming.root())).as("the partial chunk is deleted").isEmpty();
    }
    assertThat(offset(on(2, token), uuid)).isEqualTo(100_000);
    assertThat(parts()).isEqualTo(1);
    assertThat(postgres.rows("upload_part")).isEqualTo(1);

    assertThat(on(2, token).send("DELETE", "/api/v1/uploads/" + uuid, null).statusCode())
        .isEqualTo(204);
    assertThat(parts()).isZero();
    assertThat(postgres.rows("upload_session")).isZero();
  }

  @Test
  void testCommit_wrongSha256_refusedWithNothingLeft() throws Exception {
    String token = token(TokenStore.Limits.DEFAULTS);
    byte[] content = random(50_000, 2);
    String uuid = uuidOf(on(0, token).send("POST", "/api/v1/uploads", null));
    assertThat(on(1, token).patch(uuid, content, 0, 50_000).statusCode()).isEqualTo(202);

    String wrong = Digests.sha256Hex(new byte[] {7});
    HttpResponse<byte[]> commit = on(2, token).commit(uuid, wrong, content.length);

    assertThat(Http.errorCode(commit)).isEqualTo("DIGEST_INVALID");
    assertThat(Http.errorMessage(commit))
        .contains("expected sha256 " + wrong)
        .contains("found " + Digests.sha256Hex(content));
    assertThat(store.blobLength(wrong)).isEmpty();
    assertThat(store.blobLength(Digests.sha256Hex(content))).isEmpty();
    assertThat(parts()).isZero();
    assertThat(postgres.rows("upload_session")).isZero();
    assertThat(postgres.rows("upload_pending")).isZero();
    HttpResponse<byte[]> again = on(0, token).commit(uuid, Digests.sha256Hex(content), 50_000);
    assertThat(Http.errorCode(again)).isEqualTo("UPLOAD_UNKNOWN");
  }

  @Test
  void testQuotas_countedOverEveryNode() throws Exception {
    String token = token(new TokenStore.Limits(2, 100_000, 1L << 30));
    byte[] content = random(60_000, 3);
    String first = uuidOf(on(0, token).send("POST", "/api/v1/uploads", null));
    String second = uuidOf(on(1, token).send("POST", "/api/v1/uploads", null));

    HttpResponse<byte[]> third = on(2, token).send("POST", "/api/v1/uploads", null);
    assertThat(Http.errorCode(third)).isEqualTo("QUOTA_EXCEEDED");
    assertThat(Http.errorMessage(third)).contains("2 upload sessions open, its limit is 2");

    assertThat(on(0, token).patch(first, content, 0, 60_000).statusCode()).isEqualTo(202);
    HttpResponse<byte[]> over = on(2, token).patch(second, content, 0, 50_000);
    assertThat(Http.errorCode(over)).isEqualTo("QUOTA_EXCEEDED");
    assertThat(Http.errorMessage(over)).contains("hold 110000 bytes not yet published");
    assertThat(on(2, token).patch(second, content, 0, 40_000).statusCode()).isEqualTo(202);

    assertThat(on(1, token).send("DELETE", "/api/v1/uploads/" + first, null).statusCode())
        .isEqualTo(204);
    uuidOf(on(2, token).send("POST", "/api/v1/uploads", null));
  }

  @Test
  void testCancelAndGcPurge_removeTheParts() throws Exception {
    String token = token(TokenStore.Limits.DEFAULTS);
    byte[] content = random(30_000, 4);
    String cancelled = uuidOf(on(0, token).send("POST", "/api/v1/uploads", null));
    assertThat(on(1, token).patch(cancelled, content, 0, 10_000).statusCode()).isEqualTo(202);
    assertThat(on(0, token).patch(cancelled, content, 10_000, 30_000).statusCode()).isEqualTo(202);
    String stale = uuidOf(on(1, token).send("POST", "/api/v1/uploads", null));
    assertThat(on(2, token).patch(stale, content, 0, 30_000).statusCode()).isEqualTo(202);
    assertThat(parts()).isEqualTo(3);

    assertThat(on(2, token).send("DELETE", "/api/v1/uploads/" + cancelled, null).statusCode())
        .isEqualTo(204);
    assertThat(parts()).isEqualTo(1);
    assertThat(Http.errorCode(on(0, token).patch(cancelled, content, 30_000, 30_001)))
        .isEqualTo("UPLOAD_UNKNOWN");

    Database database = postgres.open();
    GarbageCollector gcTomorrow =
        new GarbageCollector(
            registry.layout,
            store,
            Clock.offset(Clock.systemUTC(), Duration.ofDays(2)),
            new PostgresWriterLock(database),
            SharedUploadSessions.factory(database));
    GarbageCollector.Garbage dryRun =
        gcTomorrow.collect(Duration.ofDays(1), Duration.ofDays(1), false);
    assertThat(dryRun.uploads())
        .extracting(e -> e.uuid() + " " + e.length())
        .containsExactly(stale + " 30000");
    assertThat(parts()).isEqualTo(1);
    assertThat(gcTomorrow.collect(Duration.ofDays(1), Duration.ofDays(1), true).uploads())
        .hasSize(1);
    assertThat(parts()).isZero();
    assertThat(postgres.rows("upload_session")).isZero();
    assertThat(Http.errorCode(on(1, token).send("GET", "/api/v1/uploads/" + stale, null)))
        .isEqualTo("UPLOAD_UNKNOWN");
  }

  @Test
  void testLeftovers_orphanPartsAndIncomingFilesPurgedOnceOld_neverALiveSessionsPart()
      throws Exception {
    String token = token(TokenStore.Limits.DEFAULTS);
    byte[] content = random(40_000, 5);
    String live = uuidOf(on(0, token).send("POST", "/api/v1/uploads", null));
    assertThat(on(1, token).patch(live, content, 0, 20_000).statusCode()).isEqualTo(202);
    // as nodes that died between storing a chunk and recording it, and while receiving one, leave
    String orphanOfLive = StoreKeys.part(live, 20_000, "dead01");
    String orphanOfGone = StoreKeys.part("0c9a7e1e-7d3f-4f7a-9d7e-6f1f2b3c4d5e", 0, "dead02");
    store.putPart(orphanOfLive, Files.write(tmp.resolve("a"), new byte[1000]));
    store.putPart(orphanOfGone, Files.write(tmp.resolve("b"), new byte[2000]));
    Path incoming =
        Files.write(
            Files.createDirectories(registry.layout.uploadsIncoming()).resolve("chunk1.tmp"),
            new byte[3000]);
    assertThat(parts()).isEqualTo(3);
    // two days on, the live session was touched just now: its recorded part stays, however old
    Clock twoDaysOn = Clock.offset(Clock.systemUTC(), Duration.ofDays(2));
    try (Connection c = postgres.connect();
        Statement s = c.createStatement()) {
      s.execute("UPDATE upload_session SET touched = now() + interval '2 days'");
    }
    Database database = postgres.open();
    UploadSessions now =
        new SharedUploadSessions(
            database,
            registry.layout,
            store,
            new ReferencedBlobs(store),
            Clock.systemUTC(),
            Long.MAX_VALUE);
    UploadSessions later =
        new SharedUploadSessions(
            database,
            registry.layout,
            store,
            new ReferencedBlobs(store),
            twoDaysOn,
            Long.MAX_VALUE);

    assertThat(now.leftovers(Duration.ofDays(1))).as("younger than the max age").isEmpty();
    now.purge(Duration.ofDays(1));
    assertThat(parts()).isEqualTo(3);
    GarbageCollector.Garbage dryRun =
        new GarbageCollector(
                registry.layout,
                store,
                twoDaysOn,
                new PostgresWriterLock(database),
                SharedUploadSessions.factory(database))
            .collect(Duration.ofDays(1), Duration.ofDays(1), false);
    assertThat(dryRun.leftovers())
        .extracting(l -> l.key() + " " + l.length())
        .containsExactlyInAnyOrder(
            orphanOfLive + " 1000", orphanOfGone + " 2000", "uploads-incoming/chunk1.tmp 3000");
    assertThat(dryRun.uploads()).isEmpty();
    assertThat(parts()).isEqualTo(3);
    assertThat(incoming).exists();

    assertThat(later.purge(Duration.ofDays(1))).as("sessions removed").isZero();

    assertThat(parts()).isEqualTo(1);
    assertThat(incoming).doesNotExist();
    assertThat(offset(on(2, token), live)).isEqualTo(20_000);
    assertThat(on(0, token).patch(live, content, 20_000, 40_000).statusCode()).isEqualTo(202);
    String sha256 = Digests.sha256Hex(content);
    assertThat(on(1, token).commit(live, sha256, content.length).statusCode()).isEqualTo(201);
    try (InputStream blob = store.openBlob(sha256, 0)) {
      assertThat(blob.readAllBytes()).isEqualTo(content);
    }
    assertThat(parts()).isZero();
  }
}
