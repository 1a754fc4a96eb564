package org.warder.registry.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.http.RegistryServer;
import org.warder.registry.repo.Coordination;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.repo.SubmissionRelay;
import org.warder.registry.shared.SharedState;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.PostgresServer;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.TestRegistry;
import org.warder.registry.testing.TufClient;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.tuf.Repository;

/**
 * Two registry servers in this JVM over one data directory and one real PostgreSQL database: each
 * its own connections, writer lock, lease renewal and relay, as two machines would have.
 */
class TwoNodesTest {
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final Duration RENEW = Duration.ofMillis(500);
  private static PostgresServer postgres;

  @TempDir Path tmp;
  private TestRegistry registry;
  private String url = "";
  private final List<Node> nodes = new ArrayList<>();

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    registry = TestRegistry.create(tmp);
    url = postgres.newDatabase();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Node node : nodes) {
      node.close();
    }
  }

  /** One node; its submissions relayed to the signer are counted in {@code relayed}. */
  private final class Node implements AutoCloseable {
    final SharedState state;
    final RegistryRepository repository;
    final RegistryServer server;
    final AtomicInteger relayed = new AtomicInteger();
    final StringWriter errors = new StringWriter();

    Node() throws Exception {
      Database database =
          Database.open(url, Optional.of(postgres.user()), Optional.of(postgres.password()));
      state =
          PostgresState.open(
              database, Clock.systemUTC(), LEASE, RENEW, new PrintWriter(errors, true));
      Coordination shared = state.coordination();
      SubmissionRelay counting =
          new SubmissionRelay() {
            @Override
            public RegistryRepository.Published relay(String role, byte[] body)
                throws org.warder.registry.api.RegistryException, IOException {
              relayed.incrementAndGet();
              return shared.relay().relay(role, body);
            }

            @Override
            public void serve(Submitter signer) {
              shared.relay().serve(signer);
            }
          };
      repository =
          RegistryRepository.open(
              registry.layout,
              Clock.systemUTC(),
              new Coordination(shared.writerLock(), shared.signerLease(), counting));
      server =
          new RegistryServer(
              repository,
              state.tokens(),
              RegistryServer.Settings.defaults(
                      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                  .withStopTimeout(Duration.ofMillis(500)),
              new PrintWriter(errors, true));
      server.start();
    }

    boolean holdsLease() throws IOException {
      return state.coordination().signerLease().check().held();
    }

    Publisher publisher(String token) {
      return new Publisher(new Http(server.url()), token);
    }

    @Override
    public void close() throws IOException {
      try (state) {
        server.close();
      }
    }
  }

  private Node start() throws Exception {
    Node node = new Node();
    nodes.add(node);
    return node;
  }

  /** Waits until {@code node} holds the lease (a first node takes it at once). */
  private static void awaitLease(Node node, Duration within) throws Exception {
    Instant deadline = Instant.now().plus(within);
    while (!node.holdsLease()) {
      assertThat(Instant.now()).as("the lease moves within " + within).isBefore(deadline);
      Thread.sleep(100);
    }
  }

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
    Node signer = start();
    awaitLease(signer, Duration.ofSeconds(5));
    Node other = start();
    assertThat(other.holdsLease()).isFalse();
    List<Node> both = List.of(signer, other);

    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> timestamps = new ConcurrentLinkedQueue<>();
    ExecutorService publishers = Executors.newFixedThreadPool(roles);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < roles; i++) {
      int role = i;
      String token = other.state.tokens().create("p" + role, List.of("r" + role)).secret();
      done.add(
          publishers.submit(
              () -> {
                for (int v = 1; v <= versions; v++) {
                  byte[] content =
                      ("r" + role + " version " + v + "\n").getBytes(StandardCharsets.UTF_8);
                  Node through = both.get((role + v) % 2);
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
    assertThat(other.relayed.get()).as("publishes through the node without the lease").isPositive();
    assertThat(signer.relayed.get()).as("the signer relays nothing").isZero();
    Repository published = RegistryRepository.open(registry.layout, Clock.systemUTC()).load();
    for (int i = 0; i < roles; i++) {
      assertThat(published.targets("r" + i).orElseThrow().signed().version()).isEqualTo(versions);
    }
    TufClient client = new TufClient(tmp.resolve("client"), other.server.url(), registry.root());
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
    Node signer = start();
    awaitLease(signer, Duration.ofSeconds(5));
    Node other = start();
    Map<String, String> before = registry.metadataFiles();
    Duration always = Duration.ofDays(400); // everything "expires soon": re-sign all

    assertThat(other.repository.refresh(always, always))
        .isEqualTo(RegistryRepository.Refreshed.NOT_SIGNER);
    assertThat(registry.metadataFiles()).isEqualTo(before);

    long timestamp = signer.repository.status().timestampVersion();
    assertThat(signer.repository.refresh(always, always))
        .isEqualTo(RegistryRepository.Refreshed.SNAPSHOT_AND_TIMESTAMP);
    assertThat(other.repository.status().timestampVersion()).isEqualTo(timestamp + 1);
  }

  @Test
  void testLease_takenOverOnceTheHolderStopsRenewing() throws Exception {
    Node first = start();
    awaitLease(first, Duration.ofSeconds(5));
    Node second = start();
    // the lease as a holder leaves it that dies now: held for 2 s more, never renewed nor released
    try (Connection c = DriverManager.getConnection(url, postgres.user(), postgres.password());
        Statement s = c.createStatement()) {
      s.execute("UPDATE signer_lease SET holder = 'dead-node', expires = now() + interval '2 s'");
    }
    Instant died = Instant.now();
    nodes.remove(first);
    first.close(); // releases only a lease it holds: not the dead node's
    assertThat(second.holdsLease()).as("a live lease is not taken").isFalse();

    awaitLease(second, Duration.ofSeconds(5));

    assertThat(Duration.between(died, Instant.now())).isLessThan(Duration.ofSeconds(4));
    try (Connection c = DriverManager.getConnection(url, postgres.user(), postgres.password());
        Statement s = c.createStatement();
        ResultSet holder = s.executeQuery("SELECT holder FROM signer_lease")) {
      assertThat(holder.next()).isTrue();
      assertThat(holder.getString(1)).isNotEqualTo("dead-node");
    }
    Duration always = Duration.ofDays(400);
    assertThat(second.repository.refresh(always, always))
        .isEqualTo(RegistryRepository.Refreshed.SNAPSHOT_AND_TIMESTAMP);
  }

  @Test
  void testClose_releasesTheLeaseForTheNextNodeAtOnce() throws Exception {
    Node first = start();
    awaitLease(first, Duration.ofSeconds(5));
    Node second = start();
    assertThat(second.holdsLease()).isFalse();

    nodes.remove(first);
    first.close();

    assertThat(second.holdsLease()).isTrue();
  }
}
