package org.warder.client.team;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.cli.PublishingRegistry;
import org.warder.client.publish.DelegatedRoles;
import org.warder.client.publish.RegistryClient;
import org.warder.client.testing.AwaitFile;
import org.warder.client.testing.HoldingProxy;
import org.warder.client.testing.TestHost;
import org.warder.client.testing.ZfsPool;
import org.warder.index.BundleManifest.Format;
import org.warder.registry.storage.RegistryLayout;
import org.warder.signing.Digests;
import org.warder.signing.testing.CliRun;
import org.warder.signing.tuf.ChunkHashes;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.Targets;

/**
 * {@code warder push} and {@code pull} of a jail whose bundle spans three signed 4 MiB chunks, with
 * real components: a registry in-process over real HTTP, the CLI in process on directory storage, a
 * real HTTP peer in front of the registry ({@link HoldingProxy}) that holds a bundle's last chunk
 * until the test lets it go. The pull imports the bundle while it downloads, each chunk only once
 * it matched; a chunk changed on the server stops the pull naming it, with nothing left; a bundle
 * an older publisher signed without chunk hashes still pulls, verified whole first.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamingPullTest {
  static final String BUNDLE = "jails/acme/web/1.bundle";
  @TempDir static Path tmp;
  static PublishingRegistry registry;
  static TestHost publisher;
  static byte[] noise;

  @BeforeAll
  static void push() throws Exception {
    registry = new PublishingRegistry(tmp);
    registry.registry.delegate(
        TeamTargets.role("acme"),
        registry.generateKey("acme"),
        TeamTargets.delegatedPaths("acme").toArray(String[]::new));
    registry.useToken("acme", TeamTargets.role("acme"));
    publisher = new TestHost(registry.publisherRoot, registry.env);
    publisher.ok("create", "-e", "-n", "web");
    noise = new byte[10 << 20]; // incompressible: the bundle takes three chunks
    new Random(13).nextBytes(noise);
    Files.write(publisher.jailRoot("web").resolve("noise.bin"), noise);
    publisher.ok(
        "push web --repo main --as acme/web --key acme --format tar --compress none".split(" "));
  }

  @AfterAll
  static void stop() throws Exception {
    registry.close();
  }

  /** A host trusting the registry as {@code main} through {@code url}. */
  private static TestHost host(String name, String url) {
    return trusting(new TestHost(tmp.resolve(name), registry.env), url);
  }

  private static TestHost trusting(TestHost host, String url) {
    host.ok("repo", "add", "main", url, "--root-sha256", registry.registry.rootSha256());
    return host;
  }

  private static TargetFile signed(String path) throws Exception {
    Metadata<Targets> role =
        registry.updater(registry.publisherRoot).roleMetadata("team-acme").orElseThrow();
    return role.signed().targets().get(path);
  }

  private static Path blob(TargetFile target) {
    return new RegistryLayout(tmp.resolve("registry"))
        .blob(target.sha256().orElseThrow())
        .orElseThrow();
  }

  @Test
  @Order(1)
  void testPush_signsTheChunkHashesOfTheBundle() throws Exception {
    TargetFile target = signed(BUNDLE);
    ChunkHashes chunks = ChunkHashes.of(target).orElseThrow();
    assertThat(chunks.size()).isEqualTo(ChunkHashes.DEFAULT_SIZE);
    assertThat(chunks.sha256()).hasSize(3);
    try (InputStream in = Files.newInputStream(blob(target))) {
      assertThat(ChunkHashes.of(in, target.length(), ChunkHashes.DEFAULT_SIZE)).isEqualTo(chunks);
    }
    assertThat(TeamTargets.read(target, "acme").spec().name()).isEqualTo("web");
    assertThat(
            host("dry", registry.registry.url())
                .ok("pull", "acme/web", "--repo", "main", "--dry-run")
                .out())
        .contains(
            "each of its 3 chunks of 4194304 bytes handed to the import once it matched its signed"
                + " sha256");
  }

  @Test
  @Order(2)
  void testPull_importsWhileTheBundleDownloads() throws Exception {
    TargetFile target = signed(BUNDLE);
    try (HoldingProxy proxy = new HoldingProxy(registry.registry.url())) {
      TestHost b = host("b", proxy.url());
      int last = ChunkHashes.of(target).orElseThrow().length(2, target.length());
      proxy.holdAfter(path -> path.endsWith(".1.bundle"), target.length() - last);
      CompletableFuture<CliRun> pull =
          CompletableFuture.supplyAsync(() -> b.warder("pull", "acme/web", "--repo", "main"));
      assertThat(proxy.awaitHolding(120)).as("the pull asked for the bundle").isTrue();
      // the last chunk is held back: the import must be at work on the first ones all the same
      Path staged =
          AwaitFile.nonEmpty(
              b.root().resolve("staging"),
              "noise.bin"::equals,
              pull,
              "the import wrote nothing while the bundle downloaded");
      assertThat(pull).as("the download cannot end before the last chunk").isNotDone();
      assertThat(Files.size(staged)).isPositive();
      assertThat(b.root().resolve("images/.pull-" + target.sha256().orElseThrow() + ".warder.tar"))
          .as("the whole file is not there yet")
          .doesNotExist();
      assertThat(b.root().resolve("jails/web")).as("nothing promoted yet").doesNotExist();
      proxy.release();
      CliRun done = pull.get(5, TimeUnit.MINUTES);
      assertThat(done.exitCode()).as(done.err() + done.out()).isZero();
      assertThat(b.jailRoot("web").resolve("noise.bin")).hasBinaryContent(noise);
      assertNothingLeft(b);
    }
  }

  @Test
  @Order(3)
  void testPull_bundleWithoutChunkHashes_stillPullsVerifiedWhole() throws Exception {
    // as a publisher before chunk hashes: the same bundle signed with its length and sha256 only
    TargetFile chunked = signed(BUNDLE);
    String path = "jails/acme/old/1.bundle";
    com.fasterxml.jackson.databind.node.ObjectNode custom =
        TeamTargets.custom(
            new BundleSpec(
                BundleKind.JAIL, "acme", "old", "1", "EMPTY", Format.TAR, Optional.empty()),
            Instant.now());
    TargetFile old = new TargetFile(path, chunked.length(), chunked.hashes(), Optional.of(custom));
    Map<String, TargetFile> targets =
        new java.util.LinkedHashMap<>(
            registry
                .updater(registry.publisherRoot)
                .roleMetadata("team-acme")
                .orElseThrow()
                .signed()
                .targets());
    targets.put(path, old);
    RegistryClient client =
        new RegistryClient(
            java.net.URI.create(registry.registry.url()),
            registry.registry.token("acme", TeamTargets.role("acme")));
    DelegatedRoles.submitNextVersion(
        "team-acme",
        registry.updater(registry.publisherRoot).roleMetadata("team-acme"),
        targets,
        Instant.now(),
        registry.signingKey("acme"),
        client);
    assertThat(ChunkHashes.of(signed(path))).isEmpty();

    TestHost c = host("c", registry.registry.url());
    assertThat(c.ok("pull", "acme/old", "--repo", "main", "-n", "old", "--dry-run").out())
        .contains("verified whole before the import");
    c.ok("pull", "acme/old", "--repo", "main", "-n", "old");
    assertThat(c.jailRoot("old").resolve("noise.bin")).hasBinaryContent(noise);
    assertNothingLeft(c);
  }

  @Test
  @Order(4)
  void testPull_aChangedChunkStopsThePullNamingIt_nothingLeft() throws Exception {
    TargetFile target = signed(BUNDLE);
    Path blob = blob(target);
    byte[] good = Files.readAllBytes(blob);
    byte[] bad = good.clone();
    bad[ChunkHashes.DEFAULT_SIZE + 100] ^= 1; // in chunk 1: chunk 0 is imported by then
    blob.toFile().setWritable(true);
    Files.write(blob, bad);
    try {
      TestHost d = host("d", registry.registry.url());
      String err = d.refused("pull", "acme/web", "--repo", "main");
      assertThat(err)
          .contains(BUNDLE + " chunk 1")
          .contains("expected sha256 " + ChunkHashes.of(target).orElseThrow().sha256().get(1))
          .contains("found " + Digests.sha256Hex(chunk(bad, 1)))
          .contains("nothing was imported");
      assertThat(d.ok("list", "-h").out()).doesNotContain("web");
      assertThat(d.root().resolve("jails/web")).doesNotExist();
      assertNothingLeft(d);
    } finally {
      Files.write(blob, good);
    }
  }

  @Test
  @Order(5)
  void testZfs_aChangedChunkLeavesNoDataset_thenCreateFromTheTemplateWhileItDownloads()
      throws Exception {
    try (ZfsPool pool = ZfsPool.create(tmp, 256)) {
      TestHost a = new TestHost(tmp.resolve("za"), registry.env);
      TestHost b = new TestHost(tmp.resolve("zb"), registry.env);
      a.ok("activate", pool.name() + "/a");
      b.ok("activate", pool.name() + "/b");
      trusting(a, registry.registry.url());
      trusting(b, registry.registry.url());
      a.ok("create", "-e", "-n", "ztpl");
      Files.write(a.jailRoot("ztpl").resolve("noise.bin"), noise);
      a.ok("set", "template=yes", "ztpl");
      a.ok("push ztpl --repo main --as acme/ztpl --key acme --compress none".split(" "));
      TargetFile target = signed("templates/acme/ztpl/1.bundle");
      assertThat(TeamTargets.read(target, "acme").spec().format()).isEqualTo(Format.ZFS);
      Path blob = blob(target);
      byte[] good = Files.readAllBytes(blob);
      byte[] bad = good.clone();
      bad[ChunkHashes.DEFAULT_SIZE + 100] ^= 1; // inside root.zfs: zfs receive is under way
      blob.toFile().setWritable(true);
      Files.write(blob, bad);
      try {
        assertThat(b.refused("create", "-t", "main:acme/ztpl", "-n", "z1"))
            .contains("templates/acme/ztpl/1.bundle chunk 1")
            .contains("nothing was imported");
      } finally {
        Files.write(blob, good);
      }
      assertThat(pool.datasets().stream().filter(d -> d.startsWith(pool.name() + "/b/")))
          .as("the received dataset is destroyed")
          .allMatch(d -> d.equals(pool.name() + "/b/staging"));
      assertThat(b.root().resolve("templates/acme_ztpl")).doesNotExist();
      assertNothingLeft(b);

      b.ok("create", "-t", "main:acme/ztpl", "-n", "z1");
      assertThat(b.jailRoot("z1").resolve("noise.bin")).hasBinaryContent(noise);
      assertNothingLeft(b);
    }
  }

  private static byte[] chunk(byte[] bytes, int index) {
    int from = index * ChunkHashes.DEFAULT_SIZE;
    return java.util.Arrays.copyOfRange(
        bytes, from, Math.min(bytes.length, from + ChunkHashes.DEFAULT_SIZE));
  }

  /** No staging area, no download nor part file on {@code host}. */
  private static void assertNothingLeft(TestHost host) throws Exception {
    for (String dir : List.of("staging", "images")) {
      Path path = host.root().resolve(dir);
      if (Files.isDirectory(path)) {
        try (Stream<Path> left = Files.list(path)) {
          assertThat(left).as(dir).isEmpty();
        }
      }
    }
  }
}
