package org.warder.registry.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.cli.RegistryMain;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.PostgresDatabase;
import org.warder.registry.testing.PostgresNode;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.TestRegistry;
import org.warder.registry.testing.TufClient;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.PrivateFiles;
import org.warder.signing.testing.CliRun;
import org.warder.signing.tuf.PublicKeyFiles;
import org.warder.signing.tuf.Repository;

/**
 * Two registry servers in this JVM over one data directory and one real PostgreSQL database: each
 * its own connections, writer lock, lease renewal and relay, as two machines would have.
 */
class TwoNodesTest {
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final Duration RENEW = Duration.ofMillis(500);
  @RegisterExtension final PostgresDatabase postgres = new PostgresDatabase();

  @TempDir Path tmp;
  private TestRegistry registry;
  private final List<PostgresNode> nodes = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    registry = TestRegistry.create(tmp);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (PostgresNode node : nodes) {
      node.close();
    }
  }

  private PostgresNode start() throws Exception {
    PostgresNode node = PostgresNode.start(registry.layout, postgres, LEASE, RENEW);
    nodes.add(node);
    return node;
  }

  /** Waits until {@code node} holds the lease (a first node takes it at once). */
  private static Instant inAMonth() {
    return Instant.now().plus(Duration.ofDays(30));
  }

  @Test
  void testConcurrentPublishesThroughBothNodes_noneIsLost() throws Exception {
    int roles = 6;
    int versions = 4;
    List<Ed25519SigningKey> keys = new ArrayList<>();
    for (int i = 0; i < roles; i++) {
      keys.add(Ed25519SigningKey.generate());
      registry.delegate("r" + i, List.of(keys.get(i)), 1, "plugins/r" + i + "-*");
    }
    PostgresNode signer = start();
    signer.awaitLease(Duration.ofSeconds(5));
    PostgresNode other = start();
    assertThat(other.holdsLease()).isFalse();
    List<PostgresNode> both = List.of(signer, other);

    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> timestamps = new ConcurrentLinkedQueue<>();
    ExecutorService publishers = Executors.newFixedThreadPool(roles);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < roles; i++) {
      int role = i;
      String token = other.tokens().create("p" + role, List.of("r" + role)).secret();
      done.add(
          publishers.submit(
              () -> {
                for (int v = 1; v <= versions; v++) {
                  byte[] content =
                      ("r" + role + " version " + v + "\n").getBytes(StandardCharsets.UTF_8);
                  PostgresNode through = both.get((role + v) % 2);
                  Publisher p = through.publisher(token);
                  p.upload(content);
                  HttpResponse<byte[]> r =
                      p.submit(
                          "r" + role,
                          Publisher.targets(
                                  v,
                                  inAMonth(),
                                  Map.of("plugins/r" + role + "-plugin", content),
                                  List.of(keys.get(role)))
                              .toBytes());
                  if (r.statusCode() == 200) {
                    timestamps.add(Http.json(r).get("timestamp").asLong());
                  } else {
                    failures.add(
                        "r"
                            + role
                            + " v"
                            + v
                            + ": "
                            + new String(r.body(), StandardCharsets.UTF_8));
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    publishers.shutdown();

    assertThat(failures).isEmpty();
    assertThat(timestamps).hasSize(roles * versions);
    Set<Long> distinct = new HashSet<>(timestamps);
    assertThat(distinct).as("every publish its own timestamp version").hasSize(roles * versions);
    assertThat(other.relayed()).as("publishes through the node without the lease").isPositive();
    assertThat(signer.relayed()).as("the signer relays nothing").isZero();
    Repository published = RegistryRepository.open(registry.layout, Clock.systemUTC()).load();
    for (int i = 0; i < roles; i++) {
      assertThat(published.targets("r" + i).orElseThrow().signed().version()).isEqualTo(versions);
    }
    TufClient client = new TufClient(tmp.resolve("client"), other.url(), registry.root());
    assertThat(client.refresh().timestampVersion())
        .isEqualTo(distinct.stream().mapToLong(t -> t).max().orElseThrow());
    assertThat(client.visible(List.of("plugins/r3-plugin")))
        .hasEntrySatisfying(
            "plugins/r3-plugin",
            bytes ->
                assertThat(new String(bytes, StandardCharsets.UTF_8))
                    .isEqualTo("r3 version " + versions + "\n"));
  }

  @Test
  void testNodeWithoutLease_neverSigns() throws Exception {
    PostgresNode signer = start();
    signer.awaitLease(Duration.ofSeconds(5));
    PostgresNode other = start();
    Map<String, String> before = registry.metadataFiles();
    Duration always = Duration.ofDays(400); // everything "expires soon": re-sign all

    assertThat(other.repository().refresh(always, always))
        .isEqualTo(RegistryRepository.Refreshed.NOT_SIGNER);
    assertThat(registry.metadataFiles()).isEqualTo(before);

    long timestamp = signer.repository().status().timestampVersion();
    assertThat(signer.repository().refresh(always, always))
        .isEqualTo(RegistryRepository.Refreshed.SNAPSHOT_AND_TIMESTAMP);
    assertThat(other.repository().status().timestampVersion()).isEqualTo(timestamp + 1);
  }

  @Test
  void testLease_takenOverOnceTheHolderStopsRenewing() throws Exception {
    PostgresNode first = start();
    first.awaitLease(Duration.ofSeconds(5));
    PostgresNode second = start();
    // the lease as a holder leaves it that dies now: held for 2 s more, never renewed nor released
    try (Connection c = postgres.connect();
        Statement s = c.createStatement()) {
      s.execute("UPDATE signer_lease SET holder = 'dead-node', expires = now() + interval '2 s'");
    }
    Instant died = Instant.now();
    nodes.remove(first);
    first.close(); // releases only a lease it holds: not the dead node's
    assertThat(second.holdsLease()).as("a live lease is not taken").isFalse();

    second.awaitLease(Duration.ofSeconds(5));

    assertThat(Duration.between(died, Instant.now())).isLessThan(Duration.ofSeconds(4));
    try (Connection c = postgres.connect();
        Statement s = c.createStatement();
        ResultSet holder = s.executeQuery("SELECT holder FROM signer_lease")) {
      assertThat(holder.next()).isTrue();
      assertThat(holder.getString(1)).isNotEqualTo("dead-node");
    }
    Duration always = Duration.ofDays(400);
    assertThat(second.repository().refresh(always, always))
        .isEqualTo(RegistryRepository.Refreshed.SNAPSHOT_AND_TIMESTAMP);
  }

  @Test
  void testClose_releasesTheLeaseForTheNextNodeAtOnce() throws Exception {
    PostgresNode first = start();
    first.awaitLease(Duration.ofSeconds(5));
    PostgresNode second = start();
    assertThat(second.holdsLease()).isFalse();

    nodes.remove(first);
    first.close();

    assertThat(second.holdsLease()).isTrue();
  }

  @Test
  void testDelegateCommand_refusedWhileANodeHoldsTheLease_signsOnceItIsReleased() throws Exception {
    Path password = tmp.resolve("db.password");
    PrivateFiles.writeString(password, postgres.password() + "\n");
    Path keyFile = tmp.resolve("acme.pub");
    PublicKeyFiles.write(Ed25519SigningKey.generate().publicKey(), keyFile);
    String[] delegate = {
      "delegate",
      "acme",
      "--key",
      keyFile.toString(),
      "--paths",
      "plugins/acme-*",
      "--data",
      registry.data.toString(),
      "--passphrase-file",
      registry.passphraseFile.toString(),
      "--database-url",
      postgres.url(),
      "--database-user",
      postgres.user(),
      "--database-password-file",
      password.toString()
    };
    PostgresNode node = start();
    node.awaitLease(Duration.ofSeconds(5));
    Map<String, String> before = registry.metadataFiles();

    CliRun refused = CliRun.of(RegistryMain::run, delegate);

    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err())
        .contains("expected to hold the signer lease", "stop the registry's servers");
    assertThat(registry.metadataFiles()).isEqualTo(before);

    nodes.remove(node);
    node.close(); // releases the lease
    CliRun delegated = CliRun.of(RegistryMain::run, delegate);

    assertThat(delegated.exitCode()).as(delegated.err()).isZero();
    assertThat(delegated.out()).contains("Delegated acme");
  }
}
