package org.warder.signing.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.Key;
import org.warder.signing.testing.RepositorySimulator;

/**
 * The 20 negative cases of trust-tuf.md §6.11, each with its positive companion where one exists.
 * After every refused update the trusted metadata directory is byte-identical and no target file
 * exists.
 */
class TufAttackTest {
  @TempDir Path tmp;
  UpdaterFixture f;
  RepositorySimulator repo;

  @BeforeEach
  void setUp() throws Exception {
    f = new UpdaterFixture(tmp);
    repo = f.repo;
  }

  // 1
  @Test
  @DisplayName("#1 initial root not signed by its own threshold is refused before any request")
  void testRefresh_initialRootNotSelfSigned() throws Exception {
    Ed25519SigningKey stranger = Ed25519SigningKey.generate();
    byte[] forged = Metadata.of(repo.root()).signedBy(List.of(stranger)).toBytes();
    Files.write(f.metadataDir.resolve("root.json"), forged);
    f.assertRefusedUnchanged(UnsignedMetadataException.class, f::refresh);
    assertThat(repo.requests()).isEmpty();
  }

  @Test
  @DisplayName("#1 initial root that is not valid root metadata is refused before any request")
  void testRefresh_initialRootInvalid() throws Exception {
    ObjectNode json = (ObjectNode) org.warder.signing.StrictJson.parse(repo.rootBytes(1));
    ((ObjectNode) json.get("signed")).remove("version");
    Files.write(
        f.metadataDir.resolve("root.json"), json.toString().getBytes(StandardCharsets.UTF_8));
    f.assertRefusedUnchanged(MetadataFormatException.class, f::refresh);
    assertThat(repo.requests()).isEmpty();
  }

  // 2
  @Test
  @DisplayName("#2 root N+1 signed only by the new root keys is refused; N stays trusted")
  void testRefresh_rootRotationNotSignedByOldKeys() throws Exception {
    Ed25519SigningKey newKey = Ed25519SigningKey.generate();
    repo.rotateRoot(
        r -> RepositorySimulator.withRoleKeys(r, "root", List.of(newKey), 1), List.of(newKey));
    f.assertRefusedUnchanged(UnsignedMetadataException.class, f::refresh);
    assertThat(f.trustedVersion("root")).isEqualTo(1);
  }

  @Test
  @DisplayName("#2 companion: root N+1 signed by old and new keys is accepted")
  void testRefresh_rootRotationSignedByOldAndNew() throws Exception {
    Ed25519SigningKey newKey = Ed25519SigningKey.generate();
    List<Ed25519SigningKey> both = List.of(repo.signers("root").get(0), newKey);
    repo.rotateRoot(r -> RepositorySimulator.withRoleKeys(r, "root", List.of(newKey), 1), both);
    repo.signers("root").set(0, newKey);
    assertThat(f.refresh().rootVersion()).isEqualTo(2);
    assertThat(Files.readAllBytes(f.metadataDir.resolve("root.json"))).isEqualTo(repo.rootBytes(2));
  }

  // 3
  @Test
  @DisplayName("#3 root N+1 signed only by the old keys (its own threshold not met) is refused")
  void testRefresh_rootRotationNotSignedByNewKeys() throws Exception {
    Ed25519SigningKey newKey = Ed25519SigningKey.generate();
    repo.rotateRoot(
        r -> RepositorySimulator.withRoleKeys(r, "root", List.of(newKey), 1), repo.signers("root"));
    f.assertRefusedUnchanged(UnsignedMetadataException.class, f::refresh);
  }

  @Test
  @DisplayName("#3 threshold raised 1-of-3 to 2-of-3 but only one new signature: refused")
  void testRefresh_rootThresholdIncreaseNotReached() throws Exception {
    List<Ed25519SigningKey> three =
        List.of(
            repo.signers("root").get(0),
            Ed25519SigningKey.generate(),
            Ed25519SigningKey.generate());
    repo.rotateRoot(r -> RepositorySimulator.withRoleKeys(r, "root", three, 1), three);
    repo.publish();
    f.refresh();
    repo.rotateRoot(
        r -> RepositorySimulator.withRoleKeys(r, "root", three, 2), List.of(three.get(0)));
    f.assertRefusedUnchanged(UnsignedMetadataException.class, f::refresh);
    assertThat(f.trustedVersion("root")).isEqualTo(2);
  }

  // 4
  @Test
  @DisplayName("#4 2.root.json that contains version 3 is refused")
  void testRefresh_rootUrlVersionMismatch() throws Exception {
    Root v3 =
        new Root(
            Signed.SPEC_VERSION, 3, repo.expires(), true, repo.root().keys(), repo.root().roles());
    repo.serve("2.root.json", Metadata.of(v3).signedBy(repo.signers("root")).toBytes());
    f.assertRefusedUnchanged(VersionMismatchException.class, f::refresh);
  }

  @Test
  @DisplayName(
      "#4 N.snapshot.json that contains another version than the timestamp names is refused")
  void testRefresh_snapshotVersionMismatch() throws Exception {
    f.refresh();
    Snapshot v1 = repo.repository().snapshot().orElseThrow().signed();
    Snapshot wrong = new Snapshot(v1.specVersion(), 7, v1.expires(), v1.meta());
    byte[] wrongBytes = Metadata.of(wrong).signedBy(repo.signers("snapshot")).toBytes();
    // a timestamp that announces snapshot 2 by version only, so that the version check decides
    Timestamp ts = new Timestamp(Signed.SPEC_VERSION, 5, repo.expires(), MetaFile.ofVersion(2));
    repo.serve("timestamp.json", Metadata.of(ts).signedBy(repo.signers("timestamp")).toBytes());
    repo.serve("2.snapshot.json", wrongBytes);
    Map<String, String> before = f.state();
    assertThatThrownBy(f::refresh).isInstanceOf(VersionMismatchException.class);
    // the new timestamp verified and is kept (as python-tuf does); the snapshot is not
    assertThat(f.state())
        .containsEntry("metadata/snapshot.json", before.get("metadata/snapshot.json"));
  }

  @Test
  @DisplayName("#4 a targets file with another version than snapshot lists is refused")
  void testRefresh_targetsVersionMismatch() throws Exception {
    f.refresh();
    Targets t = repo.targets("targets");
    Targets wrong = new Targets(t.specVersion(), 9, t.expires(), t.targets(), t.delegations());
    Snapshot s =
        new Snapshot(
            Signed.SPEC_VERSION, 2, repo.expires(), Map.of("targets.json", MetaFile.ofVersion(2)));
    byte[] sBytes = Metadata.of(s).signedBy(repo.signers("snapshot")).toBytes();
    Timestamp ts =
        new Timestamp(Signed.SPEC_VERSION, 2, repo.expires(), MetaFile.describing(2, sBytes));
    repo.serve("timestamp.json", Metadata.of(ts).signedBy(repo.signers("timestamp")).toBytes());
    repo.serve("2.snapshot.json", sBytes);
    repo.serve("2.targets.json", Metadata.of(wrong).signedBy(repo.signers("targets")).toBytes());
    Map<String, String> before = f.state();
    assertThatThrownBy(f::refresh).isInstanceOf(VersionMismatchException.class);
    assertThat(f.state().get("metadata/targets.json"))
        .isEqualTo(before.get("metadata/targets.json"));
  }

  // 5
  @Test
  @DisplayName("#5 one signature repeated to reach a threshold of 2 is refused")
  void testRefresh_duplicateSignatureKeyids() throws Exception {
    Ed25519SigningKey second = Ed25519SigningKey.generate();
    List<Ed25519SigningKey> two = List.of(repo.signers("snapshot").get(0), second);
    repo.rotateRoot(
        r -> RepositorySimulator.withRoleKeys(r, "snapshot", two, 2), repo.signers("root"));
    repo.publish();
    Metadata<Snapshot> once = repo.repository().snapshot().orElseThrow();
    Signature s = once.signatures().get(0);
    byte[] doubled = once.withSignatures(List.of(s, s)).toBytes();
    repo.serve(once.signed().version() + ".snapshot.json", doubled);
    Timestamp ts =
        new Timestamp(
            Signed.SPEC_VERSION,
            9,
            repo.expires(),
            MetaFile.describing(once.signed().version(), doubled));
    repo.serve("timestamp.json", Metadata.of(ts).signedBy(repo.signers("timestamp")).toBytes());
    Map<String, String> before = f.state();
    assertThatThrownBy(f::refresh).isInstanceOf(DuplicateSignatureException.class);
    assertThat(f.state()).doesNotContainKey("metadata/snapshot.json");
    assertThat(before).doesNotContainKey("metadata/snapshot.json");
  }

  @Test
  @DisplayName("#5 one key listed under two keyids to reach a threshold of 2 is refused")
  void testRefresh_oneKeyUnderSeveralKeyids() throws Exception {
    Ed25519SigningKey k = repo.signers("snapshot").get(0);
    ObjectNode alias = k.publicKey().json();
    alias.put("x-alias", 1); // a different canonical form, so a different but "valid" keyid
    Key aliasKey = Keys.fromJson(alias, "alias");
    Root r = repo.root();
    Map<String, Key> keys = new LinkedHashMap<>(r.keys());
    keys.put(aliasKey.keyId(), aliasKey);
    Map<String, RoleKeys> roles = new LinkedHashMap<>(r.roles());
    roles.put("snapshot", new RoleKeys(List.of(k.keyId(), aliasKey.keyId()), 2));
    Root v2 = new Root(r.specVersion(), 2, repo.expires(), true, keys, roles);
    repo.serve("2.root.json", Metadata.of(v2).signedBy(repo.signers("root")).toBytes());
    f.assertRefusedUnchanged(MetadataFormatException.class, f::refresh);
  }

  @Test
  @DisplayName("#5 a keyid that does not match its key is refused")
  void testRefresh_keyidNotMatchingKey() throws Exception {
    Root r = repo.root();
    Map<String, Key> keys = new LinkedHashMap<>(r.keys());
    Key snapshotKey = keys.remove(repo.signers("snapshot").get(0).keyId());
    String fake = "ab".repeat(32);
    keys.put(fake, snapshotKey);
    Map<String, RoleKeys> roles = new LinkedHashMap<>(r.roles());
    roles.put("snapshot", new RoleKeys(List.of(fake), 1));
    Root v2 = new Root(r.specVersion(), 2, repo.expires(), true, keys, roles);
    repo.serve("2.root.json", Metadata.of(v2).signedBy(repo.signers("root")).toBytes());
    f.assertRefusedUnchanged(KeyIdMismatchException.class, f::refresh);
  }

  // 6
  @Test
  @DisplayName("#6 a signature by a key in root.keys but not in the role's keyids does not count")
  void testRefresh_signatureByKeyOutsideRole() throws Exception {
    f.refresh();
    repo.signers("snapshot").set(0, repo.signers("targets").get(0)); // targets key signs snapshot
    repo.publish();
    f.assertRefusedUnchanged(UnsignedMetadataException.class, f::refresh, "timestamp.json");
  }

  // 7
  @Test
  @DisplayName("#7 a validly signed snapshot served as timestamp.json is refused")
  void testRefresh_wrongMetadataType() throws Exception {
    repo.serve("timestamp.json", repo.repository().snapshot().orElseThrow().toBytes());
    f.assertRefusedUnchanged(WrongMetadataTypeException.class, f::refresh);
  }

  // 8
  @Test
  @DisplayName("#8 timestamp v1 served after v2 was trusted is refused")
  void testRefresh_timestampRollback() throws Exception {
    byte[] v1 = repo.repository().timestamp().orElseThrow().toBytes();
    repo.publishTimestamp();
    f.refresh();
    assertThat(f.trustedVersion("timestamp")).isEqualTo(2);
    repo.serve("timestamp.json", v1);
    f.assertRefusedUnchanged(RollbackException.class, f::refresh);
  }

  @Test
  @DisplayName("#8 companion: same timestamp version with other content keeps the trusted one")
  void testRefresh_timestampSameVersionKeepsTrusted() throws Exception {
    f.refresh();
    Metadata<Timestamp> current = repo.repository().timestamp().orElseThrow();
    Timestamp t = current.signed();
    Timestamp other =
        new Timestamp(t.specVersion(), t.version(), t.expires().plusSeconds(60), t.snapshotMeta());
    repo.serve("timestamp.json", Metadata.of(other).signedBy(repo.signers("timestamp")).toBytes());
    Map<String, String> before = f.state();
    repo.clearRequests();
    f.refresh();
    assertThat(f.state()).isEqualTo(before);
    assertThat(repo.requests()).containsExactly("2.root.json", "timestamp.json");
  }

  // 9
  @Test
  @DisplayName("#9 a snapshot that lists targets at a lower version than trusted is refused")
  void testRefresh_snapshotListsOlderTargets() throws Exception {
    Metadata<Targets> old = repo.repository().targets("targets").orElseThrow();
    repo.addTarget("targets", "a.txt", "a".getBytes(StandardCharsets.UTF_8));
    repo.publish();
    f.refresh();
    repo.repository().putTargets("targets", old);
    repo.publish();
    f.assertRefusedUnchanged(RollbackException.class, f::refresh, "timestamp.json");
  }

  @Test
  @DisplayName("#9 a timestamp naming a lower snapshot version than trusted is refused")
  void testRefresh_timestampNamesOlderSnapshot() throws Exception {
    repo.publish();
    f.refresh();
    Timestamp ts = new Timestamp(Signed.SPEC_VERSION, 10, repo.expires(), MetaFile.ofVersion(1));
    repo.serve("timestamp.json", Metadata.of(ts).signedBy(repo.signers("timestamp")).toBytes());
    f.assertRefusedUnchanged(RollbackException.class, f::refresh);
  }

  @Test
  @DisplayName("#9 a role removed from snapshot.meta is refused")
  void testRefresh_targetsRoleRemoval() throws Exception {
    repo.delegate(
        "targets", DelegatedRole.withPaths("acme", List.of(), 1, true, List.of("acme/*")));
    repo.publish();
    f.refresh();
    repo.repository().removeTargets("acme");
    repo.publish();
    f.assertRefusedUnchanged(RollbackException.class, f::refresh, "timestamp.json");
  }

  // 10
  @Test
  @DisplayName("#10 an expired timestamp is refused (freeze)")
  void testRefresh_timestampExpired() throws Exception {
    f.refresh();
    repo.expiresAt(UpdaterFixture.NOW.minusSeconds(1));
    repo.publishTimestamp();
    f.assertRefusedUnchanged(ExpiredMetadataException.class, f::refresh);
  }

  @Test
  @DisplayName("#10 an expired snapshot is refused")
  void testRefresh_snapshotExpired() throws Exception {
    f.refresh();
    repo.expiresAt(UpdaterFixture.NOW.minusSeconds(1));
    repo.repository().snapshot(repo.expires(), repo.signers("snapshot"));
    repo.repository()
        .timestamp(UpdaterFixture.NOW.plus(Duration.ofDays(1)), repo.signers("timestamp"));
    Map<String, String> before = f.state();
    assertThatThrownBy(f::refresh).isInstanceOf(ExpiredMetadataException.class);
    assertThat(f.state().get("metadata/snapshot.json"))
        .isEqualTo(before.get("metadata/snapshot.json"));
  }

  @Test
  @DisplayName("#10 expired targets are refused")
  void testRefresh_targetsExpired() throws Exception {
    f.refresh();
    repo.expiresAt(UpdaterFixture.NOW.minusSeconds(1));
    repo.updateTargets("targets", t -> t);
    repo.expiresAt(UpdaterFixture.NOW.plus(Duration.ofDays(1)));
    repo.publish();
    Map<String, String> before = f.state();
    assertThatThrownBy(f::refresh).isInstanceOf(ExpiredMetadataException.class);
    assertThat(f.state().get("metadata/targets.json"))
        .isEqualTo(before.get("metadata/targets.json"));
  }

  @Test
  @DisplayName("#10 an expired delegated role is refused when a target is searched")
  void testTargetInfo_delegatedRoleExpired() throws Exception {
    repo.delegate(
        "targets", DelegatedRole.withPaths("acme", List.of(), 1, true, List.of("acme/*")));
    repo.expiresAt(UpdaterFixture.NOW.minusSeconds(1));
    repo.addTarget("acme", "acme/x", new byte[] {1});
    repo.expiresAt(UpdaterFixture.NOW.plus(Duration.ofDays(1)));
    repo.publish();
    Updater u = f.updater();
    u.refresh();
    f.assertRefusedUnchanged(ExpiredMetadataException.class, () -> u.targetInfo("acme/x"));
  }

  @Test
  @DisplayName("#10 companion: the clock is read once, at the start of the update")
  void testRefresh_judgesExpiryAtFixedStartTime() throws Exception {
    repo.expiresAt(UpdaterFixture.NOW.plusSeconds(1));
    repo.publish();
    f.clock = UpdaterFixture.NOW.plusSeconds(1);
    f.assertRefusedUnchanged(ExpiredMetadataException.class, f::refresh);
    f.clock = UpdaterFixture.NOW;
    assertThat(f.refresh().timestampVersion()).isEqualTo(2);
  }

  @Test
  @DisplayName("#10 companion: an expired local root still updates to a newer valid root")
  void testRefresh_expiredLocalRootUpdates() throws Exception {
    repo.expiresAt(UpdaterFixture.NOW.plus(Duration.ofDays(400)));
    f.clock = UpdaterFixture.NOW.plus(Duration.ofDays(100)); // root v1 expired after 30 days
    repo.rotateRoot(r -> r, repo.signers("root"));
    repo.updateTargets("targets", t -> t);
    repo.publish();
    assertThat(f.refresh().rootVersion()).isEqualTo(2);
  }

  // 11
  @Test
  @DisplayName("#11 a snapshot whose hash does not match the timestamp is refused (mix-and-match)")
  void testRefresh_snapshotHashMismatch() throws Exception {
    Metadata<Snapshot> s = repo.repository().snapshot().orElseThrow();
    Snapshot other =
        new Snapshot(
            s.signed().specVersion(),
            s.signed().version(),
            s.signed().expires().plusSeconds(5),
            s.signed().meta());
    repo.serve("1.snapshot.json", Metadata.of(other).signedBy(repo.signers("snapshot")).toBytes());
    Map<String, String> before = f.state();
    assertThatThrownBy(f::refresh).isInstanceOf(DigestMismatchException.class);
    assertThat(f.state()).doesNotContainKey("metadata/snapshot.json");
    assertThat(before).doesNotContainKey("metadata/snapshot.json");
  }

  @Test
  @DisplayName("#11 an older targets file served as the current one is refused (mix-and-match)")
  void testRefresh_targetsHashMismatch() throws Exception {
    byte[] v1 = repo.repository().targets("targets").orElseThrow().toBytes();
    repo.addTarget("targets", "a.txt", new byte[] {1});
    repo.publish();
    repo.serve("2.targets.json", v1);
    assertThatThrownBy(f::refresh).isInstanceOf(DigestMismatchException.class);
    assertThat(f.state()).doesNotContainKey("metadata/targets.json");
  }

  // 12
  @Test
  @DisplayName(
      "#12 after a fast-forward to targets v100, targets v1 is refused without key rotation")
  void testRefresh_fastForwardWithoutRotationRefused() throws Exception {
    for (int i = 0; i < 99; i++) {
      repo.updateTargets("targets", t -> t);
    }
    repo.publish();
    f.refresh();
    assertThat(f.trustedVersion("targets")).isEqualTo(100);
    Targets t = repo.targets("targets");
    repo.repository()
        .putTargets(
            "targets",
            Metadata.of(new Targets(t.specVersion(), 1, t.expires(), Map.of(), Optional.empty()))
                .signedBy(repo.signers("targets")));
    repo.publish();
    f.assertRefusedUnchanged(RollbackException.class, f::refresh, "timestamp.json");
  }

  @Test
  @DisplayName("#12 after a snapshot key rotation, targets v1 is accepted and the cache purged")
  void testRefresh_targetsFastForwardRecovery() throws Exception {
    for (int i = 0; i < 99; i++) {
      repo.updateTargets("targets", t -> t);
    }
    repo.publish();
    f.refresh();
    Ed25519SigningKey newSnapshotKey = Ed25519SigningKey.generate();
    repo.rotateRoot(
        r -> RepositorySimulator.withRoleKeys(r, "snapshot", List.of(newSnapshotKey), 1),
        repo.signers("root"));
    repo.signers("snapshot").set(0, newSnapshotKey);
    Targets t = repo.targets("targets");
    repo.repository()
        .putTargets(
            "targets",
            Metadata.of(new Targets(t.specVersion(), 1, t.expires(), Map.of(), Optional.empty()))
                .signedBy(repo.signers("targets")));
    repo.publish();
    Updater.RefreshResult result = f.refresh();
    assertThat(result.targetsVersion()).isEqualTo(1);
    assertThat(f.trustedVersion("targets")).isEqualTo(1);
  }

  @Test
  @DisplayName("#12 after a timestamp fast-forward to v100, a timestamp key rotation recovers")
  void testRefresh_timestampFastForwardRecovery() throws Exception {
    f.refresh();
    Metadata<Snapshot> s = repo.repository().snapshot().orElseThrow();
    Timestamp ff =
        new Timestamp(
            Signed.SPEC_VERSION,
            100,
            repo.expires(),
            MetaFile.describing(s.signed().version(), s.toBytes()));
    repo.serve("timestamp.json", Metadata.of(ff).signedBy(repo.signers("timestamp")).toBytes());
    f.refresh();
    assertThat(f.trustedVersion("timestamp")).isEqualTo(100);
    repo.serve("timestamp.json", repo.repository().timestamp().orElseThrow().toBytes());
    f.assertRefusedUnchanged(RollbackException.class, f::refresh);

    Ed25519SigningKey newKey = Ed25519SigningKey.generate();
    repo.rotateRoot(
        r -> RepositorySimulator.withRoleKeys(r, "timestamp", List.of(newKey), 1),
        repo.signers("root"));
    repo.signers("timestamp").set(0, newKey);
    repo.publishTimestamp();
    repo.serve("timestamp.json", repo.repository().timestamp().orElseThrow().toBytes());
    assertThat(f.refresh().timestampVersion()).isLessThan(100);
  }

  // 13
  @Test
  @DisplayName("#13 a publisher role signing a path outside its patterns is not trusted for it")
  void testTargetInfo_delegationEscape() throws Exception {
    repo.delegate(
        "targets",
        DelegatedRole.withPaths("plugins-acme", List.of(), 1, true, List.of("plugins/acme/*/*")));
    repo.delegate(
        "targets",
        DelegatedRole.withPaths("releases", List.of(), 1, true, List.of("releases/*/*/*")));
    repo.addTarget("plugins-acme", "releases/14.2-RELEASE/amd64/base.txz", new byte[] {1});
    repo.addTarget("plugins-acme", "plugins/other/nginx/manifest.json", new byte[] {2});
    repo.addTarget("plugins-acme", "plugins/acme/nginx/manifest.json", new byte[] {3});
    repo.publish();
    Updater u = f.updater();
    u.refresh();
    assertThat(u.targetInfo("plugins/acme/nginx/manifest.json").length()).isEqualTo(1);
    f.assertRefusedUnchanged(
        TargetNotFoundException.class,
        () -> u.targetInfo("releases/14.2-RELEASE/amd64/base.txz"),
        "releases.json");
    f.assertRefusedUnchanged(
        TargetNotFoundException.class, () -> u.targetInfo("plugins/other/nginx/manifest.json"));
  }

  @Test
  @DisplayName("#13 a wildcard does not match a path separator")
  void testTargetInfo_wildcardDoesNotCrossSeparator() throws Exception {
    repo.delegate(
        "targets", DelegatedRole.withPaths("acme", List.of(), 1, false, List.of("plugins/*")));
    repo.addTarget("acme", "plugins/acme/x", new byte[] {1});
    repo.addTarget("acme", "plugins/y", new byte[] {2});
    repo.publish();
    Updater u = f.updater();
    assertThat(u.targetInfo("plugins/y").length()).isEqualTo(1);
    f.assertRefusedUnchanged(TargetNotFoundException.class, () -> u.targetInfo("plugins/acme/x"));
  }

  @Test
  @DisplayName("#13 a delegation with a pattern of 120 '*' does not stall the lookup")
  void testTargetInfo_hostilePatternIsMatchedFast() throws Exception {
    String hostile = "plugins/" + "*a".repeat(120) + "b";
    repo.delegate(
        "targets", DelegatedRole.withPaths("hostile", List.of(), 1, false, List.of(hostile)));
    repo.delegate(
        "targets", DelegatedRole.withPaths("acme", List.of(), 1, false, List.of("plugins/*")));
    repo.addTarget("acme", "plugins/" + "a".repeat(120), new byte[] {1});
    repo.publish();
    Updater u = f.updater();
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> assertThat(u.targetInfo("plugins/" + "a".repeat(120)).length()).isEqualTo(1));
  }

  @Test
  @DisplayName("#13 a path must be allowed by every role in the delegation chain")
  void testTargetInfo_pathNotDelegatedByWholeChain() throws Exception {
    repo.delegate("targets", DelegatedRole.withPaths("a", List.of(), 1, false, List.of("a/*")));
    repo.delegate("a", DelegatedRole.withPaths("b", List.of(), 1, false, List.of("*/*")));
    repo.addTarget("b", "b/x", new byte[] {1});
    repo.addTarget("b", "a/y", new byte[] {2});
    repo.publish();
    Updater u = f.updater();
    assertThat(u.targetInfo("a/y").length()).isEqualTo(1);
    f.assertRefusedUnchanged(TargetNotFoundException.class, () -> u.targetInfo("b/x"));
  }

  @Test
  @DisplayName("#13 a terminating delegation stops the search; a non-terminating one does not")
  void testTargetInfo_terminatingDelegationStopsSearch() throws Exception {
    repo.delegate("targets", DelegatedRole.withPaths("first", List.of(), 1, true, List.of("p/*")));
    repo.delegate(
        "targets", DelegatedRole.withPaths("second", List.of(), 1, false, List.of("p/*")));
    repo.addTarget("second", "p/x", new byte[] {1});
    repo.publish();
    Updater u = f.updater();
    f.assertRefusedUnchanged(
        TargetNotFoundException.class,
        () -> u.targetInfo("p/x"),
        "timestamp.json",
        "snapshot.json",
        "targets.json",
        "first.json");

    repo.delegate("targets", DelegatedRole.withPaths("first", List.of(), 1, false, List.of("p/*")));
    repo.publish();
    Updater again = f.updater();
    assertThat(again.targetInfo("p/x").length()).isEqualTo(1);
  }

  @Test
  @DisplayName("#13b the search visits 32 delegated roles, as python-tuf's: the 32nd is found")
  void testTargetInfo_searchVisitsExactlyTheReferenceNumberOfDelegatedRoles() throws Exception {
    for (int i = 1; i <= 34; i++) {
      repo.delegate(
          "targets", DelegatedRole.withPaths("r" + i, List.of(), 1, false, List.of("p/*")));
    }
    repo.addTarget("r32", "p/in-32nd", new byte[] {32});
    repo.addTarget("r33", "p/in-33rd", new byte[] {33});
    repo.publish();
    Updater u = f.updater();
    assertThat(UpdaterConfig.defaults().maxDelegations()).isEqualTo(32);
    assertThat(u.targetInfo("p/in-32nd").length()).isEqualTo(1);
    assertThatThrownBy(() -> u.targetInfo("p/in-33rd")).isInstanceOf(TargetNotFoundException.class);
    assertThat(u.roleMetadata("r32")).isPresent();
    assertThat(u.roleMetadata("r33")).isEmpty();
  }

  // 14
  @Test
  @DisplayName("#14 a cached delegated role reached through another delegator is re-verified")
  void testTargetInfo_cachedRoleVerifiedAgainstCurrentDelegator() throws Exception {
    repo.delegate("targets", DelegatedRole.withPaths("team-a", List.of(), 1, false, List.of("*")));
    repo.delegate("targets", DelegatedRole.withPaths("team-b", List.of(), 1, false, List.of("*")));
    Ed25519SigningKey keyA = Ed25519SigningKey.generate();
    repo.signers("release").add(keyA);
    repo.delegate(
        "team-a", DelegatedRole.withPaths("release", List.of(), 1, false, List.of("a.txt")));
    repo.signers("release").set(0, Ed25519SigningKey.generate()); // team-b delegates with key B
    repo.delegate(
        "team-b", DelegatedRole.withPaths("release", List.of(), 1, false, List.of("b.txt")));
    repo.signers("release").set(0, keyA); // but release is signed with key A only
    repo.addTarget("release", "a.txt", "trusted A".getBytes(StandardCharsets.UTF_8));
    repo.addTarget("release", "b.txt", "not trusted".getBytes(StandardCharsets.UTF_8));
    repo.publish();
    Updater u = f.updater();
    assertThat(u.targetInfo("a.txt").length()).isEqualTo(9);
    f.assertRefusedUnchanged(
        UnsignedMetadataException.class, () -> u.targetInfo("b.txt"), "team-b.json");
  }

  // 15
  @Test
  @DisplayName("#15 a substituted target with the signed length but other bytes is refused")
  void testDownload_substitutedTarget() throws Exception {
    byte[] good = "FreeBSD 14.2 base".getBytes(StandardCharsets.UTF_8);
    repo.addTarget("targets", "releases/14.2-RELEASE/amd64/base.txz", good);
    byte[] evil = "FreeBSD 14.1 base".getBytes(StandardCharsets.UTF_8);
    repo.publish();
    Updater u = f.updater();
    TargetFile info = u.targetInfo("releases/14.2-RELEASE/amd64/base.txz");
    repo.serve(
        "targets/releases/14.2-RELEASE/amd64/" + info.sha256().orElseThrow() + ".base.txz", evil);
    Path dest = f.targetDir.resolve("base.txz");
    DigestMismatchException e =
        f.assertRefusedUnchanged(
            DigestMismatchException.class,
            () -> u.download(info, List.of(RepositorySimulator.TARGETS_URL), dest));
    assertThat(e.expected()).isEqualTo(info.sha256().orElseThrow());
    assertThat(dest).doesNotExist();
  }

  @Test
  @DisplayName("#15 companion: the right target downloads to the destination")
  void testDownload_goodTarget() throws Exception {
    byte[] good = "FreeBSD 14.2 base".getBytes(StandardCharsets.UTF_8);
    repo.addTarget("targets", "releases/14.2-RELEASE/amd64/base.txz", good);
    repo.publish();
    Updater u = f.updater();
    TargetFile info = u.targetInfo("releases/14.2-RELEASE/amd64/base.txz");
    Path dest = f.targetDir.resolve("base.txz");
    u.download(info, List.of(RepositorySimulator.TARGETS_URL), dest);
    assertThat(dest).hasBinaryContent(good);
    assertThat(u.findCached(info, dest)).contains(dest);
    assertThat(repo.requests())
        .contains(
            "targets/releases/14.2-RELEASE/amd64/" + info.sha256().orElseThrow() + ".base.txz");
  }

  // 16
  @Test
  @DisplayName("#16 an endless timestamp.json is cut at its cap")
  void testRefresh_endlessTimestamp() throws Exception {
    repo.serve("timestamp.json", new byte[(int) UpdaterConfig.defaults().timestampMaxLength() + 1]);
    f.assertRefusedUnchanged(FetchTooLargeException.class, f::refresh);
  }

  @Test
  @DisplayName("#16 an endless N.root.json is cut at its cap")
  void testRefresh_endlessRoot() throws Exception {
    repo.serve("2.root.json", new byte[(int) UpdaterConfig.defaults().rootMaxLength() + 1]);
    f.assertRefusedUnchanged(FetchTooLargeException.class, f::refresh);
  }

  @Test
  @DisplayName("#16 a snapshot longer than the timestamp's length is cut")
  void testRefresh_snapshotLongerThanTimestampSays() throws Exception {
    byte[] s = repo.repository().snapshot().orElseThrow().toBytes();
    byte[] longer = java.util.Arrays.copyOf(s, s.length + 1);
    longer[s.length] = ' ';
    repo.serve("1.snapshot.json", longer);
    f.assertRefusedUnchanged(FetchTooLargeException.class, f::refresh, "timestamp.json");
  }

  @Test
  @DisplayName("#16 a target longer than its signed length is cut at length+1")
  void testDownload_endlessTarget() throws Exception {
    TargetFile info = repo.addTarget("targets", "t.bin", new byte[] {1, 2, 3});
    repo.publish();
    repo.serve("targets/" + info.sha256().orElseThrow() + ".t.bin", new byte[] {1, 2, 3, 4});
    Updater u = f.updater();
    TargetFile signed = u.targetInfo("t.bin");
    f.assertRefusedUnchanged(
        FetchTooLargeException.class,
        () ->
            u.download(
                signed, List.of(RepositorySimulator.TARGETS_URL), f.targetDir.resolve("t.bin")));
  }

  // 18
  @Test
  @DisplayName("#18 a chain of 2000 roots stops after 256 rotations and reports it")
  void testRefresh_rootChainBomb() throws Exception {
    repo.expiresAt(UpdaterFixture.NOW.plus(Duration.ofDays(30)));
    for (int i = 0; i < 2000; i++) {
      repo.rotateRoot(r -> r, repo.signers("root"));
    }
    repo.publish();
    Updater.RefreshResult result = f.refresh();
    assertThat(result.rootVersion()).isEqualTo(257);
    assertThat(result.rootMayBeStale()).isTrue();
    assertThat(repo.requests().stream().filter(r -> r.endsWith(".root.json"))).hasSize(256);
  }

  @Test
  @DisplayName("#18 a delegation cycle ends the search")
  void testTargetInfo_delegationCycle() throws Exception {
    repo.delegate("targets", DelegatedRole.withPaths("a", List.of(), 1, false, List.of("*")));
    repo.delegate("a", DelegatedRole.withPaths("b", List.of(), 1, false, List.of("*")));
    repo.delegate("b", DelegatedRole.withPaths("a", List.of(), 1, false, List.of("*")));
    repo.publish();
    Updater u = f.updater();
    f.assertRefusedUnchanged(
        TargetNotFoundException.class,
        () -> u.targetInfo("x"),
        "timestamp.json",
        "snapshot.json",
        "targets.json",
        "a.json",
        "b.json");
  }

  @Test
  @DisplayName(
      "#18 a chain of more than 32 delegations is searched 32 delegated roles deep at most")
  void testTargetInfo_tooManyDelegations() throws Exception {
    String parent = "targets";
    for (int i = 0; i < 40; i++) {
      repo.delegate(parent, DelegatedRole.withPaths("r" + i, List.of(), 1, false, List.of("*")));
      parent = "r" + i;
    }
    repo.addTarget(parent, "deep", new byte[] {1});
    repo.publish();
    Updater u = f.updater();
    u.refresh();
    repo.clearRequests();
    String[] roles =
        java.util.stream.IntStream.range(0, 40)
            .mapToObj(i -> "r" + i + ".json")
            .toArray(String[]::new);
    f.assertRefusedUnchanged(TargetNotFoundException.class, () -> u.targetInfo("deep"), roles);
    // targets.json is local; r0..r31 are the 32 delegated roles python-tuf visits too
    assertThat(repo.requests()).hasSize(32).contains("2.r31.json");
    assertThat(repo.requests()).doesNotContain("2.r32.json");
  }

  // 19
  @Test
  @DisplayName("#19 a target with only an unknown hash algorithm, or no hash, is refused")
  void testDownload_unknownHashAlgorithm() throws Exception {
    repo.putTargetFile(
        "targets",
        new TargetFile("md5.bin", 1, Map.of("md5x", "00"), Optional.empty()),
        new byte[] {1});
    repo.putTargetFile(
        "targets", new TargetFile("none.bin", 1, Map.of(), Optional.empty()), new byte[] {1});
    repo.publish();
    Updater u = f.updater();
    for (String name : List.of("md5.bin", "none.bin")) {
      TargetFile info = u.targetInfo(name);
      f.assertRefusedUnchanged(
          UnsupportedHashException.class,
          () ->
              u.download(
                  info, List.of(RepositorySimulator.TARGETS_URL), f.targetDir.resolve(name)));
    }
  }

  // 20
  @Test
  @DisplayName("#20 hostile role names are quoted in requests and file names")
  void testTargetInfo_unusualRoleNames() throws Exception {
    List<String> names = List.of("?", "#", "/x", "../x");
    List<String> paths = new ArrayList<>();
    for (String name : names) {
      repo.delegate("targets", DelegatedRole.withPaths(name, List.of(), 1, false, List.of("*")));
    }
    repo.addTarget("../x", "found", new byte[] {1});
    repo.publish();
    Updater u = f.updater();
    assertThat(u.targetInfo("found").length()).isEqualTo(1);
    assertThat(repo.requests())
        .contains("1.%3F.json", "1.%23.json", "1.%2Fx.json", "2...%2Fx.json");
    try (var files = Files.list(f.metadataDir)) {
      files.forEach(p -> paths.add(p.getFileName().toString()));
    }
    assertThat(paths).contains("%3F.json", "%23.json", "%2Fx.json", "..%2Fx.json");
    assertThat(tmp.resolve("x.json")).doesNotExist();
    assertThat(f.metadataDir.getParent().resolve("x.json")).doesNotExist();
  }

  @Test
  @DisplayName("#20 hostile target paths are refused before any request")
  void testDownload_hostileTargetPaths() throws Exception {
    Updater u = f.updater();
    u.refresh();
    for (String path :
        List.of("../etc/passwd", "/etc/passwd", "a/../../b", "a\0b", "a//b", "./a")) {
      TargetFile info = TargetFile.of(path, 1, "00".repeat(32));
      repo.clearRequests();
      f.assertRefusedUnchanged(
          UnsafeNameException.class,
          () ->
              u.download(
                  info, List.of(RepositorySimulator.TARGETS_URL), f.targetDir.resolve("out")));
      assertThat(repo.requests()).isEmpty();
    }
  }

  // positive companions
  @Test
  @DisplayName("companion: an unknown field inside signed still verifies and is kept")
  void testRefresh_customFields() throws Exception {
    Targets t = repo.targets("targets");
    ObjectNode json =
        new Targets(t.specVersion(), t.version() + 1, t.expires(), t.targets(), t.delegations())
            .toJson();
    json.putObject("x-warder-custom").put("note", "kept");
    Metadata<Targets> custom =
        new Metadata<>(
                new Targets(
                    t.specVersion(), t.version() + 1, t.expires(), t.targets(), t.delegations()),
                json,
                List.of())
            .signedBy(repo.signers("targets"));
    repo.repository().putTargets("targets", custom);
    repo.publish();
    f.refresh();
    assertThat(Files.readAllBytes(f.metadataDir.resolve("targets.json")))
        .isEqualTo(custom.toBytes());
    assertThat(new String(custom.toBytes(), StandardCharsets.UTF_8)).contains("x-warder-custom");
  }

  @Test
  @DisplayName("companion: an invalid extra signature does not break a met threshold")
  void testRefresh_invalidExtraSignature() throws Exception {
    Metadata<Timestamp> ts = repo.repository().timestamp().orElseThrow();
    List<Signature> sigs = new ArrayList<>(ts.signatures());
    sigs.add(new Signature(repo.signers("root").get(0).keyId(), ""));
    sigs.add(new Signature("cd".repeat(32), "zz"));
    repo.serve("timestamp.json", ts.withSignatures(sigs).toBytes());
    assertThat(f.refresh().timestampVersion()).isEqualTo(1);
  }

  @Test
  @DisplayName("companion: the bytes received are stored exactly")
  void testRefresh_metadataBytesMatch() throws Exception {
    byte[] ts = repo.repository().timestamp().orElseThrow().toBytes();
    byte[] spaced =
        (new String(ts, StandardCharsets.UTF_8) + " \n").getBytes(StandardCharsets.UTF_8);
    repo.serve("timestamp.json", spaced);
    f.refresh();
    assertThat(Files.readAllBytes(f.metadataDir.resolve("timestamp.json"))).isEqualTo(spaced);
  }

  @Test
  @DisplayName("companion: mirror 1 hostile, mirror 2 good: the update succeeds from mirror 2")
  void testRefresh_mirrorFailover() throws Exception {
    java.net.URI hostile = java.net.URI.create("https://hostile.test/metadata/");
    RepositorySimulator good = repo;
    Fetcher mirrors =
        (url, max, sink) -> {
          if (url.toString().startsWith(hostile.toString())) {
            String name = url.toString().substring(hostile.toString().length());
            if (name.equals("timestamp.json")) {
              sink.write("{\"signed\":{}}".getBytes(StandardCharsets.UTF_8));
              return;
            }
            throw new FetchStatusException(url, 404);
          }
          good.fetch(url, max, sink);
        };
    Updater u =
        new Updater(
            new MetadataDirectory(f.metadataDir),
            List.of(hostile, RepositorySimulator.METADATA_URL),
            mirrors,
            java.time.Clock.fixed(UpdaterFixture.NOW, java.time.ZoneOffset.UTC),
            UpdaterConfig.defaults());
    assertThat(u.refresh().timestampVersion()).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "companion: a refresh with nothing new asks only for the next root and the timestamp")
  void testRefresh_nothingNewUsesLocalMetadata() throws Exception {
    f.refresh();
    repo.clearRequests();
    f.refresh();
    assertThat(repo.requests()).containsExactly("2.root.json", "timestamp.json");
    assertThat(OptionalLong.of(f.trustedVersion("targets"))).hasValue(1);
  }
}
