package org.warder.registry.repo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.warder.registry.storage.RegistryLayout;
import org.warder.signing.AtomicFiles;
import org.warder.signing.Digests;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.KeyFiles;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.Delegations;
import org.warder.signing.tuf.Key;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.Repository;
import org.warder.signing.tuf.RoleKeys;
import org.warder.signing.tuf.Root;
import org.warder.signing.tuf.Signed;
import org.warder.signing.tuf.Snapshot;
import org.warder.signing.tuf.Targets;
import org.warder.signing.tuf.Timestamp;
import org.warder.signing.tuf.Urls;

/**
 * The registry's TUF repository on disk: creation (keys and version-1 metadata), loading the
 * current state back, and the online snapshot and timestamp signing that follows every change.
 * The server holds only the online keys (snapshot, timestamp); root and targets keys are
 * encrypted with a passphrase the server never sees. Not thread-safe: callers serialise changes.
 */
public final class RegistryRepository {
  /** How long newly signed metadata of each role stays valid. */
  public static final Duration ROOT_VALIDITY = Duration.ofDays(365);
  public static final Duration TARGETS_VALIDITY = Duration.ofDays(180);
  public static final Duration SNAPSHOT_VALIDITY = Duration.ofDays(7);
  public static final Duration TIMESTAMP_VALIDITY = Duration.ofDays(1);

  private final RegistryLayout layout;
  private final Clock clock;
  private final Repository repository;
  private final Ed25519SigningKey snapshotKey;
  private final Ed25519SigningKey timestampKey;

  private RegistryRepository(
      RegistryLayout layout, Clock clock, Repository repository, Ed25519SigningKey snapshotKey,
      Ed25519SigningKey timestampKey) {
    this.layout = layout;
    this.clock = clock;
    this.repository = repository;
    this.snapshotKey = snapshotKey;
    this.timestampKey = timestampKey;
  }

  /** What {@link #initialise} made: the pin a client needs. */
  public record Initialised(String rootSha256, Path rootFile) {}

  /** Whether {@code layout} already holds a repository. */
  public static boolean isInitialised(RegistryLayout layout) {
    return Files.exists(layout.metadata().resolve("1.root.json"));
  }

  /**
   * Creates the four role keys and version-1 metadata. Root and targets keys are encrypted with
   * {@code offlinePassphrase}; the online keys with a random passphrase kept in
   * {@code keys/online.passphrase} (mode 0600) so that the server can start unattended.
   */
  public static Initialised initialise(RegistryLayout layout, char[] offlinePassphrase, Clock clock)
      throws IOException, SigningException {
    if (isInitialised(layout)) {
      throw new SigningException(
          "a repository already exists in " + layout.data() + "; refusing to overwrite its keys");
    }
    Files.createDirectories(layout.keys());
    Files.setPosixFilePermissions(layout.keys(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(layout.metadata());
    Files.createDirectories(layout.blobs());
    Files.createDirectories(layout.uploads());
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    char[] onlinePassphrase = HexFormat.of().formatHex(random).toCharArray();
    AtomicFiles.write(
        layout.onlinePassphrase(), out -> out.write(new String(onlinePassphrase).getBytes(StandardCharsets.US_ASCII)),
        AtomicFiles.OWNER_ONLY, false);

    Map<String, Ed25519SigningKey> keys = new LinkedHashMap<>();
    for (String role : List.of("root", "targets", "snapshot", "timestamp")) {
      Ed25519SigningKey key = Ed25519SigningKey.generate();
      boolean offline = role.equals("root") || role.equals("targets");
      if (offline) {
        KeyFiles.write(key, layout.key(role), offlinePassphrase);
      } else {
        KeyFiles.write(key, layout.key(role), onlinePassphrase, KeyFiles.Cost.GENERATED_PASSPHRASE);
      }
      keys.put(role, key);
    }
    Instant now = clock.instant();
    Map<String, Key> publicKeys = new LinkedHashMap<>();
    Map<String, RoleKeys> roles = new LinkedHashMap<>();
    keys.forEach((role, key) -> {
      publicKeys.put(key.keyId(), key.publicKey());
      roles.put(role, new RoleKeys(List.of(key.keyId()), 1));
    });
    Root root = new Root(Signed.SPEC_VERSION, 1, now.plus(ROOT_VALIDITY), true, publicKeys, roles);
    Repository repository = Repository.start(Metadata.of(root).signedBy(List.of(keys.get("root"))));
    Targets targets =
        new Targets(Signed.SPEC_VERSION, 1, now.plus(TARGETS_VALIDITY), Map.of(),
            Optional.of(new Delegations(Map.of(), List.of())));
    repository.putTargets("targets", Metadata.of(targets).signedBy(List.of(keys.get("targets"))));
    RegistryRepository created =
        new RegistryRepository(layout, clock, repository, keys.get("snapshot"), keys.get("timestamp"));
    created.writeRoots();
    created.publish();
    byte[] rootBytes = repository.root().toBytes();
    return new Initialised(Digests.sha256Hex(rootBytes), layout.metadata().resolve("1.root.json"));
  }

  /** Loads the current repository state and the online keys. */
  public static RegistryRepository open(RegistryLayout layout, Clock clock) throws IOException, SigningException {
    if (!isInitialised(layout)) {
      throw new SigningException(
          "no repository in " + layout.data() + "; run 'warder-registry init --data " + layout.data() + "'");
    }
    char[] online = Files.readString(layout.onlinePassphrase(), StandardCharsets.US_ASCII).strip().toCharArray();
    Ed25519SigningKey snapshotKey = KeyFiles.read(layout.key("snapshot"), online);
    Ed25519SigningKey timestampKey = KeyFiles.read(layout.key("timestamp"), online);
    Path md = layout.metadata();
    Repository repository = Repository.start(Metadata.parse(Files.readAllBytes(md.resolve("1.root.json")), Root.class, "root"));
    for (long v = 2; Files.exists(md.resolve(v + ".root.json")); v++) {
      repository.addRoot(Metadata.parse(Files.readAllBytes(md.resolve(v + ".root.json")), Root.class, "root"));
    }
    Metadata<Timestamp> timestamp = Metadata.parse(Files.readAllBytes(md.resolve("timestamp.json")), Timestamp.class, "timestamp");
    long snapshotVersion = timestamp.signed().snapshotMeta().version();
    Metadata<Snapshot> snapshot =
        Metadata.parse(Files.readAllBytes(md.resolve(snapshotVersion + ".snapshot.json")), Snapshot.class, "snapshot");
    for (var entry : snapshot.signed().meta().entrySet()) {
      String role = entry.getKey().substring(0, entry.getKey().length() - ".json".length());
      Path file = md.resolve(entry.getValue().version() + "." + Urls.quote(role) + ".json");
      repository.putTargets(role, Metadata.parse(Files.readAllBytes(file), Targets.class, role));
    }
    repository.restore(Optional.of(snapshot), Optional.of(timestamp));
    return new RegistryRepository(layout, clock, repository, snapshotKey, timestampKey);
  }

  public Repository repository() {
    return repository;
  }

  /**
   * Signs a new snapshot over the current targets roles and a new timestamp, and writes them:
   * targets files first, the timestamp last, so a reader never sees a timestamp naming files
   * that are not there yet.
   */
  public void publish() throws IOException, SigningException {
    Instant now = clock.instant();
    for (String role : repository.targetsRoles()) {
      Metadata<Targets> t = repository.targets(role).orElseThrow();
      Path file = layout.metadata().resolve(t.signed().version() + "." + Urls.quote(role) + ".json");
      if (!Files.exists(file)) {
        AtomicFiles.write(file, t.toBytes());
      }
    }
    Metadata<Snapshot> snapshot = repository.snapshot(now.plus(SNAPSHOT_VALIDITY), List.of(snapshotKey));
    AtomicFiles.write(layout.metadata().resolve(snapshot.signed().version() + ".snapshot.json"), snapshot.toBytes());
    Metadata<Timestamp> timestamp = repository.timestamp(now.plus(TIMESTAMP_VALIDITY), List.of(timestampKey));
    AtomicFiles.write(layout.metadata().resolve("timestamp.json"), timestamp.toBytes());
  }

  /**
   * Re-signs the timestamp when it expires within {@code margin}, so clients never see it
   * expire while the server runs. Returns whether it did.
   */
  public boolean refreshTimestamp(Duration margin) throws IOException, SigningException {
    Instant expires = repository.timestamp().orElseThrow().signed().expires();
    if (clock.instant().plus(margin).isBefore(expires)) {
      return false;
    }
    Metadata<Timestamp> timestamp =
        repository.timestamp(clock.instant().plus(TIMESTAMP_VALIDITY), List.of(timestampKey));
    AtomicFiles.write(layout.metadata().resolve("timestamp.json"), timestamp.toBytes());
    return true;
  }

  private void writeRoots() throws IOException {
    for (Metadata<Root> root : repository.roots()) {
      Path file = layout.metadata().resolve(root.signed().version() + ".root.json");
      if (!Files.exists(file)) {
        AtomicFiles.write(file, root.toBytes());
      }
    }
  }
}
