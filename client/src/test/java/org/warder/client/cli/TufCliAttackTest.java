package org.warder.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.signing.Digests;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.StrictJson;
import org.warder.signing.testing.CliRun;
import org.warder.signing.testing.RepositorySimulator;
import org.warder.signing.testing.StaticHttpServer;
import org.warder.signing.testing.TestFiles;
import org.warder.signing.tuf.DelegatedRole;
import org.warder.signing.tuf.MetaFile;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.Root;
import org.warder.signing.tuf.Signature;
import org.warder.signing.tuf.Signed;
import org.warder.signing.tuf.Snapshot;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.Targets;
import org.warder.signing.tuf.Timestamp;
import org.warder.signing.tuf.UpdaterConfig;

/**
 * The negative cases of the trust design (those of {@code TufAttackTest}) through {@code warder
 * tuf}, over real HTTP: each case writes its own repository as static files, serves it with a web
 * server, and runs the CLI in process. Every attack must end in exit code 1 with exactly one line
 * {@code warder: <specific reason>} on stderr, leave the trusted metadata directory as it was
 * (except metadata named per case that legitimately precedes the attacked file in the TUF order and
 * verified before the attack was seen), and leave no file in {@code --target-dir}.
 *
 * <p>Metadata attacks are run twice: as {@code refresh}, then as {@code download} of a target the
 * repository really publishes; the second run must fail the same way, fetch no target, and change
 * nothing more. Target attacks are run twice as {@code download}.
 */
class TufCliAttackTest {
  /** A genuine target published in every repository, downloadable unless an attack intervenes. */
  private static final String LEGIT = "plugins/index.json";

  @TempDir Path tmp;
  RepositorySimulator repo;
  Path www;
  Path metadataDir;
  Path targetDir;
  Path rootFile;
  StaticHttpServer server;

  @BeforeEach
  void setUp() throws Exception {
    repo = new RepositorySimulator(Instant.now());
    repo.addTarget("targets", LEGIT, "{\"plugins\":[]}\n".getBytes(StandardCharsets.UTF_8));
    repo.publish();
    www = tmp.resolve("www");
    metadataDir = tmp.resolve("md");
    targetDir = tmp.resolve("out");
    rootFile = tmp.resolve("root.json");
    Files.write(rootFile, repo.rootBytes(1));
    Files.createDirectories(www);
    server = new StaticHttpServer(www);
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
  }

  // --- 1: the trust anchor ----------------------------------------------------------------------

  @Test
  @DisplayName("#1 init refuses an initial root not signed by its own keys, with no request")
  void testInit_rootNotSelfSigned() throws Exception {
    repo.writeTo(www);
    Files.write(
        rootFile,
        Metadata.of(repo.root()).signedBy(List.of(Ed25519SigningKey.generate())).toBytes());
    CliRun run = TufCli.init(metadataDir, rootFile);
    assertOneLineRefusal(
        run,
        "root v1 metadata is not signed by a threshold of its own root keys",
        "expected 1 valid signature, found 0");
    assertThat(TestFiles.digests(metadataDir)).isEmpty();
    assertThat(server.requests()).isEmpty();
  }

  @Test
  @DisplayName("#1 refresh refuses a stored root not signed by its own keys, with no request")
  void testRefresh_storedRootNotSelfSigned() throws Exception {
    repo.writeTo(www);
    Files.createDirectories(metadataDir);
    Files.write(
        metadataDir.resolve("root.json"),
        Metadata.of(repo.root()).signedBy(List.of(Ed25519SigningKey.generate())).toBytes());
    assertUpdateRefused(
        List.of(),
        "root v1 metadata is not signed by a threshold of its own root keys",
        "expected 1 valid signature, found 0");
    assertThat(server.requests()).isEmpty();
  }

  // --- 2, 3, 4: root rotation -------------------------------------------------------------------

  @Test
  @DisplayName("#2 root v2 signed only by the new root key is refused; root v1 stays trusted")
  void testRefresh_rootSignedOnlyByNewKeys() throws Exception {
    trustedBaseline();
    Ed25519SigningKey newKey = Ed25519SigningKey.generate();
    repo.rotateRoot(
        r -> RepositorySimulator.withRoleKeys(r, "root", List.of(newKey), 1), List.of(newKey));
    repo.writeTo(www);
    assertUpdateRefused(
        List.of(),
        "root v2 metadata is not signed by a threshold of the trusted root v1's root keys",
        "expected 1 valid signature, found 0");
    assertThat(trustedVersion("root")).isEqualTo(1);
  }

  @Test
  @DisplayName("#3 root v2 signed only by the old root key (its own threshold not met) is refused")
  void testRefresh_rootSignedOnlyByOldKeys() throws Exception {
    trustedBaseline();
    Ed25519SigningKey newKey = Ed25519SigningKey.generate();
    repo.rotateRoot(
        r -> RepositorySimulator.withRoleKeys(r, "root", List.of(newKey), 1), repo.signers("root"));
    repo.writeTo(www);
    assertUpdateRefused(
        List.of(),
        "root v2 metadata is not signed by a threshold of its own root keys",
        "expected 1 valid signature, found 0");
    assertThat(trustedVersion("root")).isEqualTo(1);
  }

  @Test
  @DisplayName("#4 2.root.json containing version 3 is refused")
  void testRefresh_rootFileVersionMismatch() throws Exception {
    trustedBaseline();
    Root v3 =
        new Root(
            Signed.SPEC_VERSION, 3, repo.expires(), true, repo.root().keys(), repo.root().roles());
    repo.serve("2.root.json", Metadata.of(v3).signedBy(repo.signers("root")).toBytes());
    repo.writeTo(www);
    assertUpdateRefused(
        List.of(), "new root (file 2.root.json): expected version 2, found version 3");
    assertThat(trustedVersion("root")).isEqualTo(1);
  }

  // --- 5, 6, 7: signatures and types ------------------------------------------------------------

  @Test
  @DisplayName("#5 one snapshot signature repeated to reach a threshold of 2 is refused")
  void testRefresh_duplicateSignatures() throws Exception {
    Ed25519SigningKey first = repo.signers("snapshot").get(0);
    Ed25519SigningKey second = Ed25519SigningKey.generate();
    repo.rotateRoot(
        r -> RepositorySimulator.withRoleKeys(r, "snapshot", List.of(first, second), 2),
        repo.signers("root"));
    repo.signers("snapshot").add(second);
    repo.publish();
    trustedBaseline();
    assertThat(trustedVersion("root")).isEqualTo(2);

    repo.publish();
    Metadata<Snapshot> snapshot = repo.repository().snapshot().orElseThrow();
    Signature once = snapshot.signatures().get(0);
    byte[] doubled = snapshot.withSignatures(List.of(once, once)).toBytes();
    long version = snapshot.signed().version();
    repo.serve(version + ".snapshot.json", doubled);
    Timestamp ts =
        new Timestamp(
            Signed.SPEC_VERSION,
            repo.repository().timestamp().orElseThrow().signed().version(),
            repo.expires(),
            MetaFile.describing(version, doubled));
    repo.serve("timestamp.json", Metadata.of(ts).signedBy(repo.signers("timestamp")).toBytes());
    repo.writeTo(www);
    // The new timestamp is valid and precedes the snapshot in TUF order: it is kept.
    assertUpdateRefused(
        List.of("timestamp.json"),
        "several signatures with keyid " + once.keyid(),
        "expected at most one per key");
    assertThat(trustedVersion("snapshot")).isEqualTo(version - 1);
  }

  @Test
  @DisplayName("#6 a snapshot signed by a key of root.keys outside the snapshot role is refused")
  void testRefresh_signatureByKeyOutsideRole() throws Exception {
    trustedBaseline();
    repo.signers("snapshot")
        .set(0, repo.signers("targets").get(0)); // the targets key signs snapshot
    repo.publish();
    repo.writeTo(www);
    assertUpdateRefused(
        List.of("timestamp.json"),
        "snapshot metadata is not signed by a threshold of root's snapshot keys",
        "expected 1 valid signature, found 0");
  }

  @Test
  @DisplayName("#7 a validly signed snapshot served as timestamp.json is refused")
  void testRefresh_wrongType() throws Exception {
    trustedBaseline();
    repo.publish();
    repo.serve("timestamp.json", repo.repository().snapshot().orElseThrow().toBytes());
    repo.writeTo(www);
    assertUpdateRefused(List.of(), "expected timestamp metadata", "found _type \"snapshot\"");
  }

  // --- 8, 9: rollback -------------------------------------------------------------------------

  @Test
  @DisplayName("#8 an older timestamp served after a newer one was trusted is refused")
  void testRefresh_timestampRollback() throws Exception {
    byte[] old = repo.repository().timestamp().orElseThrow().toBytes();
    long oldVersion = repo.repository().timestamp().orElseThrow().signed().version();
    repo.publishTimestamp();
    trustedBaseline();
    assertThat(trustedVersion("timestamp")).isEqualTo(oldVersion + 1);
    repo.serve("timestamp.json", old);
    repo.writeTo(www);
    assertUpdateRefused(
        List.of(),
        "timestamp version "
            + oldVersion
            + " is lower than the trusted version "
            + (oldVersion + 1),
        "rollback");
  }

  @Test
  @DisplayName("#9 a snapshot listing an older targets version than trusted is refused")
  void testRefresh_snapshotRollback() throws Exception {
    Metadata<Targets> old = repo.repository().targets("targets").orElseThrow();
    repo.addTarget("targets", "a.txt", "a".getBytes(StandardCharsets.UTF_8));
    repo.publish();
    trustedBaseline();
    long trusted = trustedVersion("targets");
    repo.repository().putTargets("targets", old);
    repo.publish();
    repo.writeTo(www);
    assertUpdateRefused(
        List.of("timestamp.json"),
        "new snapshot lists targets.json at version "
            + old.signed().version()
            + ", lower than the trusted version "
            + trusted);
    assertThat(trustedVersion("targets")).isEqualTo(trusted);
  }

  @Test
  @DisplayName("#9 a snapshot that no longer lists a trusted delegated role is refused")
  void testRefresh_roleRemovedFromSnapshot() throws Exception {
    repo.delegate(
        "targets", DelegatedRole.withPaths("acme", List.of(), 1, true, List.of("acme/*")));
    repo.publish();
    trustedBaseline();
    repo.repository().removeTargets("acme");
    repo.publish();
    repo.writeTo(www);
    assertUpdateRefused(
        List.of("timestamp.json"),
        "new snapshot no longer lists acme.json",
        "which the trusted snapshot lists");
  }

  // --- 10: freeze -----------------------------------------------------------------------------

  @Test
  @DisplayName("#10 a timestamp whose expiry is in the past is refused")
  void testRefresh_expiredTimestamp() throws Exception {
    trustedBaseline();
    Instant past = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
    repo.expiresAt(past);
    repo.publishTimestamp();
    repo.writeTo(www);
    long version = repo.repository().timestamp().orElseThrow().signed().version();
    assertUpdateRefused(List.of(), "timestamp v" + version + " metadata expired at " + past);
    assertThat(trustedVersion("timestamp")).isEqualTo(version - 1);
  }

  // --- 11: mix-and-match ----------------------------------------------------------------------

  @Test
  @DisplayName("#11 a snapshot whose hash differs from the one the timestamp signs is refused")
  void testRefresh_snapshotHashMismatch() throws Exception {
    trustedBaseline();
    repo.publish();
    Metadata<Snapshot> real = repo.repository().snapshot().orElseThrow();
    Snapshot s = real.signed();
    byte[] other =
        Metadata.of(
                new Snapshot(s.specVersion(), s.version(), s.expires().plusSeconds(5), s.meta()))
            .signedBy(repo.signers("snapshot"))
            .toBytes();
    assertThat(other).hasSameSizeAs(real.toBytes()); // so that the hash, not the length, decides
    repo.serve(s.version() + ".snapshot.json", other);
    repo.writeTo(www);
    String signedHash =
        repo.repository().timestamp().orElseThrow().signed().snapshotMeta().hashes().get("sha256");
    assertUpdateRefused(
        List.of("timestamp.json"),
        "snapshot v"
            + s.version()
            + ": expected sha256 "
            + signedHash
            + ", found "
            + Digests.sha256Hex(other));
    assertThat(trustedVersion("snapshot")).isEqualTo(s.version() - 1);
  }

  @Test
  @DisplayName(
      "#11 an older targets file served as the current one fails the snapshot's length and hash")
  void testRefresh_targetsHashMismatch() throws Exception {
    trustedBaseline();
    byte[] old = repo.repository().targets("targets").orElseThrow().toBytes();
    repo.addTarget("targets", "a.txt", "a".getBytes(StandardCharsets.UTF_8));
    repo.publish();
    long version = repo.targets("targets").version();
    byte[] current = repo.repository().targets("targets").orElseThrow().toBytes();
    repo.serve(version + ".targets.json", old);
    repo.writeTo(www);
    // timestamp and snapshot are valid and precede targets in TUF order: they are kept.
    assertUpdateRefused(
        List.of("timestamp.json", "snapshot.json"),
        "targets v"
            + version
            + ": expected length "
            + current.length
            + " bytes, found "
            + old.length
            + " bytes");
    assertThat(trustedVersion("targets")).isEqualTo(version - 1);
  }

  // --- 12: fast-forward -----------------------------------------------------------------------

  @Test
  @DisplayName(
      "#12 after targets fast-forwarded to v100, targets v1 without a snapshot key rotation is refused")
  void testRefresh_fastForwardWithoutKeyRotation() throws Exception {
    while (repo.targets("targets").version() < 100) {
      repo.updateTargets("targets", t -> t);
    }
    repo.publish();
    trustedBaseline();
    assertThat(trustedVersion("targets")).isEqualTo(100);
    Targets t = repo.targets("targets");
    repo.repository()
        .putTargets(
            "targets",
            Metadata.of(new Targets(t.specVersion(), 1, t.expires(), t.targets(), Optional.empty()))
                .signedBy(repo.signers("targets")));
    repo.publish();
    repo.writeTo(www);
    assertUpdateRefused(
        List.of("timestamp.json"),
        "new snapshot lists targets.json at version 1, lower than the trusted version 100");
    assertThat(trustedVersion("targets")).isEqualTo(100);
  }

  // --- 13, 18: delegations --------------------------------------------------------------------

  @Test
  @DisplayName("#13 a delegated role signing a path outside its patterns is not trusted for it")
  void testDownload_delegationEscape() throws Exception {
    String escaped = "releases/14.2-RELEASE/amd64/base.txz";
    repo.delegate(
        "targets",
        DelegatedRole.withPaths("plugins-acme", List.of(), 1, true, List.of("plugins/acme/*/*")));
    repo.delegate(
        "targets",
        DelegatedRole.withPaths("releases", List.of(), 1, true, List.of("releases/*/*/*")));
    repo.addTarget("plugins-acme", escaped, "not a FreeBSD base".getBytes(StandardCharsets.UTF_8));
    repo.addTarget(
        "plugins-acme", "plugins/acme/nginx/manifest.json", "{}".getBytes(StandardCharsets.UTF_8));
    repo.publish();
    trustedBaseline();
    // The role is trusted for its own paths.
    Path ok = tmp.resolve("ok");
    CliRun good = download(ok, "plugins/acme/nginx/manifest.json");
    assertThat(good.exitCode()).as(good.err()).isZero();
    assertThat(ok.resolve("plugins%2Facme%2Fnginx%2Fmanifest.json")).hasContent("{}");

    // Searching the escaped path legitimately loads the (empty) "releases" role.
    assertDownloadRefused(
        escaped,
        List.of("releases.json"),
        "target " + escaped + " is not described by any role trusted for its path");
    assertThat(server.requests()).noneMatch(r -> r.endsWith(".base.txz"));
  }

  @Test
  @DisplayName("#18 a delegation cycle a -> b -> a ends the search")
  void testDownload_delegationCycle() throws Exception {
    repo.delegate("targets", DelegatedRole.withPaths("a", List.of(), 1, false, List.of("*")));
    repo.delegate("a", DelegatedRole.withPaths("b", List.of(), 1, false, List.of("*")));
    repo.delegate("b", DelegatedRole.withPaths("a", List.of(), 1, false, List.of("*")));
    repo.publish();
    trustedBaseline();
    server.clearRequests();
    // Searching loads the delegated roles a and b, both valid: they are kept.
    assertDownloadRefused(
        "x",
        List.of("a.json", "b.json"),
        "target x is not described by any role trusted for its path");
    List<String> delegated =
        server.requests().stream().filter(r -> r.matches("/metadata/\\d+\\.[ab]\\.json")).toList();
    assertThat(delegated)
        .hasSize(2); // each fetched once, by the first run; the second uses the stored ones
  }

  // --- 15, 16, 19: targets --------------------------------------------------------------------

  @Test
  @DisplayName("#15 a substituted target with the signed length but other bytes is refused")
  void testDownload_substitutedTarget() throws Exception {
    String path = "releases/14.2-RELEASE/amd64/base.txz";
    TargetFile info =
        repo.addTarget("targets", path, "FreeBSD 14.2 base".getBytes(StandardCharsets.UTF_8));
    repo.publish();
    trustedBaseline();
    byte[] evil = "FreeBSD 14.1 base".getBytes(StandardCharsets.UTF_8);
    String sha = info.sha256().orElseThrow();
    Files.write(www.resolve("targets/releases/14.2-RELEASE/amd64/" + sha + ".base.txz"), evil);
    assertDownloadRefused(
        path, List.of(), path + ": expected sha256 " + sha + ", found " + Digests.sha256Hex(evil));
  }

  @Test
  @DisplayName("#16 a target longer than its signed length is cut at that length")
  void testDownload_targetLongerThanSigned() throws Exception {
    TargetFile info = repo.addTarget("targets", "t.bin", new byte[] {1, 2, 3});
    repo.publish();
    trustedBaseline();
    Files.write(
        www.resolve("targets/" + info.sha256().orElseThrow() + ".t.bin"), new byte[] {1, 2, 3, 4});
    assertDownloadRefused("t.bin", List.of(), "t.bin sent more than the 3 bytes allowed");
  }

  @Test
  @DisplayName("#16 a timestamp.json over 16384 bytes is cut at its cap")
  void testRefresh_oversizedTimestamp() throws Exception {
    trustedBaseline();
    long cap = UpdaterConfig.defaults().timestampMaxLength();
    repo.publishTimestamp();
    repo.writeTo(www);
    // A valid new timestamp padded with whitespace: only its size is wrong.
    Path served = www.resolve("metadata/timestamp.json");
    byte[] padded = Arrays.copyOf(Files.readAllBytes(served), (int) cap + 1);
    Arrays.fill(padded, (int) Files.size(served), padded.length, (byte) ' ');
    Files.write(served, padded);
    assertUpdateRefused(List.of(), "timestamp.json sent more than the " + cap + " bytes allowed");
  }

  @Test
  @DisplayName(
      "#19 a target signed with only an unknown hash algorithm is refused before any request")
  void testDownload_unknownHashAlgorithm() throws Exception {
    repo.putTargetFile(
        "targets",
        new TargetFile("md5.bin", 1, Map.of("md5x", "00"), Optional.empty()),
        new byte[] {1});
    repo.publish();
    trustedBaseline();
    server.clearRequests();
    assertDownloadRefused(
        "md5.bin", List.of(), "md5.bin: the signed hash algorithm \"md5x\" is unknown");
    assertThat(server.requests()).noneMatch(r -> r.startsWith("/targets/"));
  }

  // --- companion ------------------------------------------------------------------------------

  @Test
  @DisplayName(
      "companion: without an attack, the same commands succeed and leave exactly the target")
  void testDownload_noAttackSucceeds() throws Exception {
    trustedBaseline();
    CliRun run = download(targetDir, LEGIT);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(files(targetDir)).containsExactly(targetDir.resolve("plugins%2Findex.json"));
    assertThat(targetDir.resolve("plugins%2Findex.json")).hasContent("{\"plugins\":[]}\n");
  }

  // --- helpers --------------------------------------------------------------------------------

  /** Publishes the repository, trusts root v1 with {@code init} and refreshes successfully. */
  private void trustedBaseline() throws IOException {
    repo.writeTo(www);
    CliRun init = TufCli.init(metadataDir, rootFile);
    assertThat(init.exitCode()).as(init.err()).isZero();
    CliRun refresh = refresh();
    assertThat(refresh.exitCode()).as(refresh.err()).isZero();
    assertThat(TestFiles.digests(metadataDir))
        .containsKeys("root.json", "timestamp.json", "snapshot.json", "targets.json");
  }

  private CliRun refresh() {
    return TufCli.run(metadataDir, server, "refresh");
  }

  private CliRun download(Path dir, String name) {
    return TufCli.download(metadataDir, server, dir, name);
  }

  /**
   * An attack on metadata: {@code refresh}, then {@code download} of the genuine target, both
   * refused with one line holding {@code fragments}. Only the files in {@code advancing} change
   * (each must: it is valid metadata preceding the attacked file), no target is fetched or left.
   */
  private void assertUpdateRefused(List<String> advancing, String... fragments) throws IOException {
    Map<String, String> before = TestFiles.digests(metadataDir);
    CliRun run = refresh();
    assertOneLineRefusal(run, fragments);
    Map<String, String> after = TestFiles.digests(metadataDir);
    assertOnlyAdvanced(before, after, advancing);

    int requests = server.requests().size();
    CliRun again = download(targetDir, LEGIT);
    assertOneLineRefusal(again, fragments);
    assertThat(TestFiles.digests(metadataDir))
        .as("metadata after the second refusal")
        .isEqualTo(after);
    assertThat(files(targetDir)).as("files in --target-dir").isEmpty();
    assertThat(server.requests().subList(requests, server.requests().size()))
        .noneMatch(r -> r.startsWith("/targets/"));
  }

  /**
   * An attack met while downloading {@code name}: two downloads into the target directory, both
   * refused with one line holding {@code fragments}; only {@code advancing} metadata changes (in
   * the first run) and no file is left in the target directory.
   */
  private void assertDownloadRefused(String name, List<String> advancing, String... fragments)
      throws IOException {
    Map<String, String> before = TestFiles.digests(metadataDir);
    CliRun run = download(targetDir, name);
    assertOneLineRefusal(run, fragments);
    Map<String, String> after = TestFiles.digests(metadataDir);
    assertOnlyAdvanced(before, after, advancing);
    assertThat(files(targetDir)).as("files in --target-dir").isEmpty();

    CliRun again = download(targetDir, name);
    assertOneLineRefusal(again, fragments);
    assertThat(TestFiles.digests(metadataDir))
        .as("metadata after the second refusal")
        .isEqualTo(after);
    assertThat(files(targetDir)).as("files in --target-dir").isEmpty();
  }

  private static void assertOneLineRefusal(CliRun run, String... fragments) {
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isEqualTo(1);
    assertThat(run.out()).as("stdout").isEmpty();
    assertThat(run.err()).startsWith("warder: ").endsWith(System.lineSeparator());
    String line = run.err().substring(0, run.err().length() - System.lineSeparator().length());
    assertThat(line).as("stderr is one line").doesNotContain("\n", "\r");
    for (String fragment : fragments) {
      assertThat(line).contains(fragment);
    }
  }

  private static void assertOnlyAdvanced(
      Map<String, String> before, Map<String, String> after, List<String> advancing) {
    Map<String, String> expected = new TreeMap<>(before);
    for (String name : advancing) {
      assertThat(after.get(name))
          .as("%s advanced to valid new metadata", name)
          .isNotNull()
          .isNotEqualTo(before.get(name));
      expected.put(name, after.get(name));
    }
    assertThat(after).as("trusted metadata directory").isEqualTo(expected);
  }

  private static List<Path> files(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return new ArrayList<>(walk.filter(Files::isRegularFile).sorted().toList());
    }
  }

  private long trustedVersion(String role) throws Exception {
    return StrictJson.parseObject(Files.readAllBytes(metadataDir.resolve(role + ".json")))
        .get("signed")
        .get("version")
        .asLong();
  }
}
