package org.warder.registry.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.storage.FailPoints;
import org.warder.registry.storage.S3Store;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.PostgresDatabase;
import org.warder.registry.testing.PostgresNode;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.S3ProxyServer;
import org.warder.registry.testing.ServerProcess;
import org.warder.registry.testing.SharedNodes;
import org.warder.registry.testing.TestRegistry;
import org.warder.registry.testing.TufClient;
import org.warder.signing.Digests;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.StrictJson;

/**
 * Fencing of a signer that lost its lease in the middle of a change. Node a (a real {@code serve}
 * process over S3Proxy and PostgreSQL) reaches a fail point in the middle of signing, where it
 * stalls; the test stops it ({@code SIGSTOP}) and ends its database sessions, as a long pause or a
 * partition from the database would; node b takes the lease and signs; then a goes on ({@code
 * SIGCONT}) and tries to finish its change. Asserts: a's write is refused by the store's
 * conditional writes, what b wrote (the timestamp, the snapshot it names) is unchanged, clients see
 * one history, and a's publisher is told to retry.
 */
class StaleSignerTest {
  private static final long STALL_SECONDS = 20;

  @RegisterExtension final PostgresDatabase postgres = new PostgresDatabase();

  @TempDir Path tmp;

  private S3ProxyServer s3;
  private String bucket;
  private TestRegistry registry;
  private S3Store store;
  private SharedNodes nodes;

  @BeforeEach
  void setUp() throws Exception {
    s3 = new S3ProxyServer(Files.createDirectories(tmp.resolve("s3")));
    bucket = s3.createBucket("registry");
    registry = TestRegistry.create(tmp.resolve("registry"), layout -> newStore());
    store = newStore();
    nodes = new SharedNodes(tmp.resolve("nodes"), registry.data, s3, bucket, postgres);
  }

  private S3Store newStore() {
    return new S3Store(s3.client(), bucket, "");
  }

  @AfterEach
  void tearDown() throws Exception {
    s3.stop();
  }

  private byte[] timestamp() throws Exception {
    return store.metadata("timestamp.json").orElseThrow();
  }

  private static long version(byte[] metadata) throws Exception {
    return StrictJson.parseObject(metadata).get("signed").get("version").asLong();
  }

  private String holder() throws Exception {
    try (Connection c = postgres.connect();
        Statement s = c.createStatement();
        ResultSet row = s.executeQuery("SELECT holder FROM signer_lease")) {
      return row.next() ? row.getString(1) : "";
    }
  }

  /**
   * Stops {@code node} and ends every database session but the test's, as the database does for a
   * client it lost (its advisory writer lock goes with them); how many it ended.
   */
  private int isolate(ServerProcess node) throws Exception {
    node.signal("STOP");
    try (Connection c = postgres.connect();
        Statement s = c.createStatement();
        ResultSet ended =
            s.executeQuery(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
      ended.next();
      return ended.getInt(1);
    }
  }

  private PostgresNode nodeB() throws Exception {
    PostgresNode b =
        PostgresNode.start(
            registry.layout,
            newStore(),
            postgres,
            PostgresSignerLease.DURATION,
            PostgresSignerLease.RENEW_EVERY);
    b.awaitLease(Duration.ofSeconds(20));
    return b;
  }

  @Test
  void aSignerStoppedInTheMiddleOfReSigning_neverReplacesTheNextSignersTimestamp()
      throws Exception {
    registry.resignTimestampAsOf(Duration.ofHours(7)); // due: the first signer re-signs it
    long initial = version(timestamp());
    try (ServerProcess a =
        nodes.start("a", Optional.of(FailPoints.RESIGN_BEFORE_TIMESTAMP), STALL_SECONDS)) {
      a.awaitStderr("fail point " + FailPoints.RESIGN_BEFORE_TIMESTAMP + " reached", 60);
      assertThat(isolate(a)).as("a's database sessions, its writer lock's among them").isPositive();

      try (PostgresNode b = nodeB()) {
        // b re-signs at once when it takes the lease
        Instant deadline = Instant.now().plusSeconds(20);
        while (version(timestamp()) == initial) {
          assertThat(Instant.now()).as("b re-signs the timestamp").isBefore(deadline);
          Thread.sleep(100);
        }
        byte[] signedByB = timestamp();
        assertThat(version(signedByB)).isEqualTo(initial + 1);

        a.signal("CONT");
        a.awaitStderr("fail point " + FailPoints.RESIGN_BEFORE_TIMESTAMP + " passed", 60);
        a.awaitStderr("cannot re-sign the timestamp: expected s3://" + bucket, 30);
        assertThat(a.stderr()).contains("another writer changed it; nothing was written");

        assertThat(timestamp())
            .as("b's timestamp, not a's of the same version")
            .isEqualTo(signedByB);
        for (java.net.URI node : List.of(a.url(), b.url())) {
          TufClient client = new TufClient(tmp.resolve("client-" + node.getPort()), node, root());
          assertThat(client.refresh().timestampVersion()).isEqualTo(initial + 1);
        }
        assertThat(holder()).doesNotContain("/" + a.process().pid() + "/");
      }
    }
  }

  @Test
  void aSignerStoppedInTheMiddleOfAPublish_isRefusedAndWhatTheNextSignerWroteStays()
      throws Exception {
    Ed25519SigningKey acmeKey = Ed25519SigningKey.generate();
    Ed25519SigningKey boltKey = Ed25519SigningKey.generate();
    registry.delegate("acme", List.of(acmeKey), 1, "plugins/acme-*");
    registry.delegate("bolt", List.of(boltKey), 1, "plugins/bolt-*");
    PostgresTokenStore tokens = new PostgresTokenStore(postgres.open(), Clock.systemUTC());
    String acmeToken = tokens.create("acme", List.of("acme")).secret();
    String boltToken = tokens.create("bolt", List.of("bolt")).secret();
    long snapshotBefore = registry.repository.status().snapshotVersion();
    byte[] acmeWeb = "acme web\n".getBytes(StandardCharsets.UTF_8);
    byte[] boltWeb = "bolt web\n".getBytes(StandardCharsets.UTF_8);
    byte[] acmeV1 = metadata(1, "plugins/acme-web", acmeWeb, acmeKey);

    try (ServerProcess a =
        nodes.start("a", Optional.of(FailPoints.PUBLISH_AFTER_ROLE), STALL_SECONDS)) {
      Instant deadline = Instant.now().plusSeconds(20);
      while (!holder().contains("/" + a.process().pid() + "/")) {
        assertThat(Instant.now()).as("a takes the lease").isBefore(deadline);
        Thread.sleep(100);
      }
      Publisher acmeViaA = new Publisher(new Http(a.url()), acmeToken);
      acmeViaA.upload(acmeWeb);
      CompletableFuture<HttpResponse<byte[]>> stale =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return acmeViaA.submit("acme", acmeV1);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      a.awaitStderr("fail point " + FailPoints.PUBLISH_AFTER_ROLE + " reached", 60);
      assertThat(isolate(a)).isPositive();

      try (PostgresNode b = nodeB()) {
        Publisher boltViaB = b.publisher(boltToken);
        boltViaB.upload(boltWeb);
        HttpResponse<byte[]> bolt =
            boltViaB.submit("bolt", metadata(1, "plugins/bolt-web", boltWeb, boltKey));
        assertThat(bolt.statusCode()).as(body(bolt)).isEqualTo(200);
        assertThat(Http.json(bolt).get("snapshot").asLong()).isEqualTo(snapshotBefore + 1);
        byte[] timestampByB = timestamp();
        String snapshotName = (snapshotBefore + 1) + ".snapshot.json";
        byte[] snapshotByB = store.metadata(snapshotName).orElseThrow();

        a.signal("CONT");
        HttpResponse<byte[]> refused = stale.get(60, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).as(body(refused)).isEqualTo(503);
        assertThat(Http.json(refused).get("errors").get(0).get("code").asText())
            .isEqualTo("NOT_SIGNER");
        assertThat(body(refused))
            .contains("lost the signer lease while it wrote")
            .contains("retry, through another node");

        assertThat(timestamp()).as("b's timestamp stays").isEqualTo(timestampByB);
        assertThat(store.metadata(snapshotName))
            .as("the snapshot b's timestamp names is never replaced")
            .hasValue(snapshotByB);
        String skipped = (snapshotBefore + 2) + ".snapshot.json";
        assertThat(store.metadataNames())
            .as("a's snapshot took the next free version, which nothing names")
            .contains(skipped);

        // acme retries through b: published, its snapshot above the one a left unnamed
        HttpResponse<byte[]> retried = b.publisher(acmeToken).submit("acme", acmeV1);
        assertThat(retried.statusCode()).as(body(retried)).isEqualTo(200);
        assertThat(Http.json(retried).get("snapshot").asLong()).isEqualTo(snapshotBefore + 3);
        // and once more, exactly the same: answered as published (a retry after a lost answer)
        HttpResponse<byte[]> again = acmeViaA.submit("acme", acmeV1);
        assertThat(again.statusCode()).as(body(again)).isEqualTo(200);
        assertThat(Http.json(again).get("timestamp").asLong())
            .isEqualTo(Http.json(retried).get("timestamp").asLong());

        TufClient client = new TufClient(tmp.resolve("client"), a.url(), root());
        assertThat(client.visible(List.of("plugins/acme-web", "plugins/bolt-web")))
            .containsOnlyKeys("plugins/acme-web", "plugins/bolt-web");
        assertThat(
                Digests.sha256Hex(
                    client.visible(List.of("plugins/acme-web")).get("plugins/acme-web")))
            .isEqualTo(Digests.sha256Hex(acmeWeb));
      }
    }
  }

  private byte[] root() throws Exception {
    return registry.root();
  }

  private static byte[] metadata(long version, String path, byte[] content, Ed25519SigningKey key)
      throws Exception {
    return Publisher.targets(
            version, Instant.now().plus(Duration.ofDays(30)), Map.of(path, content), List.of(key))
        .toBytes();
  }

  private static String body(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }
}
