package org.warder.registry.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.storage.FailPoints;
import org.warder.registry.storage.S3Store;
import org.warder.registry.testing.FreePort;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.NginxBalancer;
import org.warder.registry.testing.PostgresDatabase;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.S3ProxyServer;
import org.warder.registry.testing.ServerProcess;
import org.warder.registry.testing.SharedNodes;
import org.warder.registry.testing.TestRegistry;
import org.warder.registry.testing.TufClient;
import org.warder.signing.Digests;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.StrictJson;
import org.warder.signing.tuf.Updater;

/**
 * Three {@code warder-registry serve} processes (nodes a, b, c, each its own data directory with a
 * copy of the keys) over one bucket (S3Proxy) and one database (PostgreSQL), behind nginx. Node a
 * starts with a stale timestamp and is SIGKILLed in the middle of re-signing it (stalled at a fail
 * point) while clients poll; b takes the lease and re-signs; b is SIGKILLed in the middle of the
 * first publish it signs (snapshot written, timestamp not); c takes over; a and b come back; c is
 * SIGKILLed while publishers publish; a or b takes over. Throughout, three publishers publish
 * concurrently through nginx, retrying what failed, and two clients poll timestamp.json and refresh
 * (the real TUF client) through nginx. Asserts: every publish lands, clients only see increasing
 * versions and one timestamp per version, every client error is fixed by the next try, the lease
 * moves a, b, c, then to a or b. Prints the timeline.
 */
class ThreeNodesTest {
  private static final int PUBLISHERS = 3;
  private static final int VERSIONS = 4;

  /** How long a node stalls at its fail point: longer than the test takes to kill it there. */
  private static final long STALL_SECONDS = 120;

  @RegisterExtension final PostgresDatabase postgres = new PostgresDatabase();

  @TempDir Path tmp;

  private final Instant began = Instant.now();
  private final List<String> timeline = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Map<Long, String> pids = new ConcurrentHashMap<>();
  private final AtomicInteger publishedCount = new AtomicInteger();
  private SharedNodes nodes;

  private void event(String what) {
    String line =
        String.format(
            "%7.1f s  %s", Duration.between(began, Instant.now()).toMillis() / 1000.0, what);
    timeline.add(line);
    System.err.println("three nodes: " + line);
  }

  private String holder() throws Exception {
    try (Connection c = postgres.connect();
        Statement s = c.createStatement();
        ResultSet row = s.executeQuery("SELECT holder FROM signer_lease")) {
      return row.next() ? row.getString(1) : "";
    }
  }

  /** The node ("a", "b", "c") whose process holds the lease now; "" when none. */
  private String leaseNode() throws Exception {
    String h = holder();
    return pids.entrySet().stream()
        .filter(e -> h.contains("/" + e.getKey() + "/"))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse("");
  }

  /**
   * Starts node {@code name} on its port; with {@code failPoint}, the node stalls there (the test
   * kills it at that step).
   */
  private ServerProcess node(String name, Optional<String> failPoint) throws Exception {
    ServerProcess p =
        nodes.start(
            name,
            failPoint,
            failPoint.isPresent() ? STALL_SECONDS : 0,
            "--listen",
            "127.0.0.1:" + ports.get(name));
    long pid = p.process().pid();
    pids.put(pid, name);
    event("node " + name + " serving (pid " + pid + ")");
    CompletableFuture<Void> unused =
        p.process()
            .onExit()
            .thenRun(
                () ->
                    event(
                        "node "
                            + name
                            + " (pid "
                            + pid
                            + ") gone, status "
                            + p.process().exitValue()));
    return p;
  }

  /**
   * Waits until nginx tries {@code nodes} again: requests that reached them while they were
   * starting made nginx leave them out for {@link NginxBalancer#FAIL_TIMEOUT}, and a node killed
   * meanwhile would leave nginx with no node at all (502 at once). An operator adds a node to the
   * balancer once it serves; here the balancer is configured with all three from the start.
   */
  private void inBalancer(String nodes) throws InterruptedException {
    Thread.sleep(NginxBalancer.FAIL_TIMEOUT.plusSeconds(1).toMillis());
    event("node " + nodes + " back in nginx's rotation");
  }

  /** Until {@code watching} ends, records every move of the lease in the timeline. */
  private Void watchLease(AtomicBoolean watching) throws Exception {
    String last = "";
    while (watching.get()) {
      String now = leaseNode();
      if (!now.equals(last)) {
        event("lease row names node " + (now.isEmpty() ? "none of ours" : now));
        last = now;
      }
      Thread.sleep(100);
    }
    return null;
  }

  private void awaitLease(Predicate<String> node, String what) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    String now = leaseNode();
    while (!node.test(now)) {
      assertThat(Instant.now()).as("expected the lease to move " + what).isBefore(deadline);
      Thread.sleep(100);
      now = leaseNode();
    }
    event("lease held by node " + now + " (awaited)");
  }

  @Test
  void threeNodesBehindNginx_nodesKilledMidPublishAndMidResign_clientsSeeOneIncreasingHistory()
      throws Exception {
    NginxBalancer.require();
    S3ProxyServer s3 = new S3ProxyServer(Files.createDirectories(tmp.resolve("s3")));
    ExecutorService threads = Executors.newCachedThreadPool();
    List<ServerProcess> processes = new ArrayList<>();
    try {
      String bucket = s3.createBucket("registry");
      TestRegistry registry =
          TestRegistry.create(
              tmp.resolve("registry"), layout -> new S3Store(s3.client(), bucket, ""));
      List<Ed25519SigningKey> keys = new ArrayList<>();
      List<String> tokens = new ArrayList<>();
      PostgresTokenStore tokenStore = new PostgresTokenStore(postgres.open(), Clock.systemUTC());
      for (int i = 0; i < PUBLISHERS; i++) {
        Ed25519SigningKey key = Ed25519SigningKey.generate();
        keys.add(key);
        registry.delegate("pub" + i, List.of(key), 1, "plugins/pub" + i + "-*");
        tokens.add(tokenStore.create("pub" + i, List.of("pub" + i)).secret());
      }
      registry.resignTimestampAsOf(Duration.ofHours(7)); // due: the first signer re-signs it
      long initialTimestamp = registry.repository.status().timestampVersion();
      byte[] root = registry.root();
      nodes = new SharedNodes(tmp.resolve("nodes"), registry.data, s3, bucket, postgres);
      for (String name : List.of("a", "b", "c")) {
        ports.put(name, FreePort.belowOutgoingRange());
      }
      try (NginxBalancer nginx =
          NginxBalancer.start(
              tmp.resolve("nginx"), ports.values().stream().map(p -> "127.0.0.1:" + p).toList())) {
        event("nginx in front of a, b, c at " + nginx.url());
        AtomicBoolean watching = new AtomicBoolean(true);
        Future<Void> leaseWatcher = threads.submit(() -> watchLease(watching));

        // a: the first signer, stalled between signing the re-signed timestamp and writing it
        ServerProcess a = node("a", Optional.of(FailPoints.RESIGN_BEFORE_TIMESTAMP));
        processes.add(a);
        a.awaitStderr("fail point " + FailPoints.RESIGN_BEFORE_TIMESTAMP + " reached", 60);
        event("node a in the middle of re-signing the timestamp (stalled at the fail point)");
        // b: the next signer, stalls in the middle of the first publish it signs
        ServerProcess b = node("b", Optional.of(FailPoints.PUBLISH_AFTER_SNAPSHOT));
        processes.add(b);

        AtomicBoolean polling = new AtomicBoolean(true);
        List<Future<Poll>> pollers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          TufClient client = new TufClient(tmp.resolve("client-" + i), nginx.url(), root);
          pollers.add(threads.submit(() -> poll(client, new Http(nginx.url()), polling)));
        }
        Thread.sleep(1000); // the pollers are polling

        a.kill();
        event("node a SIGKILLed in the middle of re-signing the timestamp");
        assertThat(registry.repository.status().timestampVersion())
            .as("the killed re-sign wrote nothing")
            .isEqualTo(initialTimestamp);
        awaitLease("b"::equals, "from the killed a to b");
        Instant deadline = Instant.now().plusSeconds(30);
        while (registry.repository.status().timestampVersion() == initialTimestamp) {
          assertThat(Instant.now()).as("b re-signs as it takes the lease").isBefore(deadline);
          Thread.sleep(100);
        }
        event(
            "timestamp re-signed by b: version " + registry.repository.status().timestampVersion());
        processes.add(node("c", Optional.empty()));
        inBalancer("c");

        // round 1: versions 1 and 2 of every role; b is killed in its first publish, c takes over
        Future<?> round1 =
            threads.submit(
                () -> {
                  publishAll(threads, nginx, keys, tokens, 1, 2);
                  return null;
                });
        b.awaitStderr("fail point " + FailPoints.PUBLISH_AFTER_SNAPSHOT + " reached", 120);
        b.kill();
        event("node b SIGKILLed in the middle of a publish (snapshot written, timestamp not)");
        awaitLease("c"::equals, "from the killed b to c");
        round1.get(5, TimeUnit.MINUTES);

        // a and b come back; c is SIGKILLed while versions 3 and 4 are being published
        processes.add(node("a", Optional.empty()));
        processes.add(node("b", Optional.empty()));
        inBalancer("a and b");
        ServerProcess c = processes.get(2);
        Future<?> round2 =
            threads.submit(
                () -> {
                  publishAll(threads, nginx, keys, tokens, 3, 4);
                  return null;
                });
        while (publishedCount.get() < PUBLISHERS * 2 + 1) {
          Thread.sleep(20);
        }
        c.kill();
        event("node c SIGKILLed while publishers publish");
        awaitLease(n -> n.equals("a") || n.equals("b"), "from the SIGKILLed c to a or b");
        round2.get(5, TimeUnit.MINUTES);

        polling.set(false);
        watching.set(false);
        leaseWatcher.get(1, TimeUnit.MINUTES);
        List<Poll> polls = new ArrayList<>();
        for (Future<Poll> f : pollers) {
          polls.add(f.get(2, TimeUnit.MINUTES));
        }

        // what a new client sees through nginx: every version of every role
        TufClient fresh = new TufClient(tmp.resolve("client-fresh"), nginx.url(), root);
        Map<String, byte[]> expected = new LinkedHashMap<>();
        for (int i = 0; i < PUBLISHERS; i++) {
          for (int v = 1; v <= VERSIONS; v++) {
            expected.put(path(i, v), content(i, v));
          }
        }
        Map<String, byte[]> visible = fresh.visible(expected.keySet());
        assertThat(visible).containsOnlyKeys(expected.keySet());
        expected.forEach((p, bytes) -> assertThat(visible.get(p)).as(p).isEqualTo(bytes));
        for (int i = 0; i < PUBLISHERS; i++) {
          assertThat(fresh.trustedVersion("pub" + i)).isEqualTo(VERSIONS);
        }
        event(
            "done: timestamp "
                + registry.repository.status().timestampVersion()
                + ", every role at version "
                + VERSIONS);

        // one upload of six chunks, its requests one after another: round robin sends them to the
        // live nodes in turn, so the session is only whole if the nodes share it
        byte[] chunked = new byte[6 * 1000];
        new java.util.Random(12).nextBytes(chunked);
        Publisher uploader = new Publisher(new Http(nginx.url()), tokens.get(0));
        String chunkedSha = uploader.upload(chunked, 1000);
        HttpResponse<byte[]> head = uploader.send("HEAD", "/api/v1/blobs/" + chunkedSha, null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("6000");
        Map<String, java.util.Set<String>> sessions = nginx.uploadSessionNodes();
        long crossed = sessions.values().stream().filter(n -> n.size() > 1).count();
        event(
            "upload sessions: "
                + sessions.size()
                + ", "
                + crossed
                + " of them served by more than one node");
        assertThat(crossed)
            .as("round robin spreads a session's requests; they work only if nodes share sessions")
            .isPositive();

        for (Poll p : polls) {
          event(
              "poller: "
                  + p.refreshes
                  + " refreshes, timestamp versions seen "
                  + p.firstVersion
                  + ".."
                  + p.lastVersion
                  + ", "
                  + p.errors.size()
                  + " errors fixed by the next try "
                  + p.errors);
          assertThat(p.violations).as("what the client saw must only move forward").isEmpty();
          assertThat(p.lastVersion).isGreaterThan(p.firstVersion);
          assertThat(p.unfixed).as("an error the next try did not fix").isEmpty();
        }
      }
    } finally {
      System.err.println("three nodes timeline:\n  " + String.join("\n  ", timeline));
      threads.shutdownNow();
      for (ServerProcess p : processes) {
        p.close();
      }
      s3.stop();
    }
  }

  private static String path(int publisher, int version) {
    return "plugins/pub" + publisher + "-v" + version;
  }

  private static byte[] content(int publisher, int version) {
    return ("publisher " + publisher + " version " + version + "\n")
        .repeat(version * 1000)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Every publisher publishes versions {@code from..to} of its role, concurrently. */
  private void publishAll(
      ExecutorService threads,
      NginxBalancer nginx,
      List<Ed25519SigningKey> keys,
      List<String> tokens,
      int from,
      int to)
      throws Exception {
    List<Future<?>> running = new ArrayList<>();
    for (int i = 0; i < PUBLISHERS; i++) {
      int publisher = i;
      Publisher client = new Publisher(new Http(nginx.url()), tokens.get(i));
      running.add(
          threads.submit(
              () -> {
                for (int v = from; v <= to; v++) {
                  publish(client, publisher, v, keys.get(publisher));
                }
                return null;
              }));
    }
    for (Future<?> f : running) {
      f.get(5, TimeUnit.MINUTES);
    }
  }

  /** Publishes one version, trying again (as a publisher's client would) until it is accepted. */
  private void publish(Publisher client, int publisher, int version, Ed25519SigningKey key)
      throws Exception {
    byte[] content = content(publisher, version);
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int v = 1; v <= version; v++) {
      files.put(path(publisher, v), content(publisher, v));
    }
    byte[] metadata =
        Publisher.targets(version, Instant.now().plus(Duration.ofDays(30)), files, List.of(key))
            .toBytes();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
    for (int attempt = 1; ; attempt++) {
      String failure;
      try {
        client.upload(content);
        HttpResponse<byte[]> r = client.submit("pub" + publisher, metadata);
        if (r.statusCode() == 200) {
          publishedCount.incrementAndGet();
          event(
              "pub"
                  + publisher
                  + " version "
                  + version
                  + " published (timestamp "
                  + Http.json(r).get("timestamp").asLong()
                  + ", attempt "
                  + attempt
                  + ")");
          return;
        }
        failure =
            "answered "
                + r.statusCode()
                + " "
                + oneLine(new String(r.body(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        failure = oneLine(e.toString());
      }
      event("pub" + publisher + " version " + version + " attempt " + attempt + ": " + failure);
      assertThat(Instant.now()).as("pub" + publisher + " keeps failing").isBefore(deadline);
      Thread.sleep(500);
    }
  }

  /** {@code text} (an nginx error page, a registry error, an exception) on one short line. */
  private static String oneLine(String text) {
    String flat = text.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
    return flat.length() <= 160 ? flat : flat.substring(0, 160) + "...";
  }

  /** What a polling client saw. */
  private static final class Poll {
    long firstVersion = -1;
    long lastVersion = -1;
    int refreshes;
    final List<String> errors = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    final List<String> unfixed = new ArrayList<>();
  }

  /**
   * Until {@code polling} ends: GET timestamp.json (one content per version, versions never going
   * back) and refresh the TUF client (timestamp and snapshot versions never going back); an error
   * must be gone at the next try.
   */
  private static Poll poll(TufClient client, Http http, AtomicBoolean polling) throws Exception {
    Poll p = new Poll();
    Map<Long, String> timestamps = new LinkedHashMap<>();
    long lastSnapshot = -1;
    Optional<String> pending = Optional.empty();
    // after the end, one more round fixes a last error
    for (boolean last = false; !last; ) {
      last = !polling.get();
      try {
        HttpResponse<byte[]> raw = http.send("GET", "/metadata/timestamp.json", null);
        if (raw.statusCode() != 200) {
          throw new IOException("timestamp.json answered " + raw.statusCode());
        }
        long version = StrictJson.parseObject(raw.body()).get("signed").get("version").asLong();
        String digest = Digests.sha256Hex(raw.body());
        String before = timestamps.putIfAbsent(version, digest);
        if (before != null && !before.equals(digest)) {
          p.violations.add("two timestamps of version " + version);
        }
        if (version < p.lastVersion) {
          p.violations.add("timestamp version " + version + " after " + p.lastVersion);
        }
        Updater.RefreshResult result = client.refresh();
        if (result.timestampVersion() < version || result.snapshotVersion() < lastSnapshot) {
          p.violations.add("refresh went back: " + result + " after timestamp " + version);
        }
        lastSnapshot = result.snapshotVersion();
        p.firstVersion = p.firstVersion < 0 ? version : p.firstVersion;
        p.lastVersion = Math.max(version, result.timestampVersion());
        p.refreshes++;
        pending = Optional.empty();
      } catch (Exception e) {
        if (pending.isPresent()) {
          p.unfixed.add(pending.get() + " then " + e);
        }
        pending = Optional.of(e.toString());
        p.errors.add(e.toString());
      }
      Thread.sleep(100);
    }
    return p;
  }
}
