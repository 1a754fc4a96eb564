package org.warder.registry.repo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.warder.registry.api.ErrorCode;
import org.warder.registry.api.RegistryException;
import org.warder.registry.storage.BlobStore;
import org.warder.registry.storage.DataLock;
import org.warder.registry.storage.FailPoints;
import org.warder.registry.storage.FileSystemStore;
import org.warder.registry.storage.RegistryLayout;
import org.warder.registry.storage.RegistryStore;
import org.warder.registry.storage.StoreConflictException;
import org.warder.registry.storage.StoreKeys;
import org.warder.registry.storage.WriterLock;
import org.warder.signing.AtomicFiles;
import org.warder.signing.Digests;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.Key;
import org.warder.signing.KeyFiles;
import org.warder.signing.PrivateFiles;
import org.warder.signing.Signer;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.ChunkHashes;
import org.warder.signing.tuf.ChunkVerifyingInputStream;
import org.warder.signing.tuf.DelegatedRole;
import org.warder.signing.tuf.Delegations;
import org.warder.signing.tuf.DigestMismatchException;
import org.warder.signing.tuf.LengthAndHashes;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.MetadataFormatException;
import org.warder.signing.tuf.Repository;
import org.warder.signing.tuf.RoleKeys;
import org.warder.signing.tuf.Root;
import org.warder.signing.tuf.Signed;
import org.warder.signing.tuf.Snapshot;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.Targets;
import org.warder.signing.tuf.Timestamp;
import org.warder.signing.tuf.TufException;
import org.warder.signing.tuf.UnsupportedHashException;
import org.warder.signing.tuf.Urls;
import org.warder.signing.tuf.VerificationIOException;

/**
 * The registry's TUF repository in its {@link RegistryStore}: creation (keys and version-1
 * metadata), and every change of it: delegated metadata submitted by publishers, delegations made
 * by the owner, and the online snapshot and timestamp signing that follows each change or keeps
 * them from expiring.
 *
 * <p>Each change runs under the {@link WriterLock} (the data directory's {@link DataLock}, or one
 * shared by several nodes) and starts by reading the current metadata back from the store, so the
 * server and the offline commands, in any number of processes, never lose each other's changes.
 * Only the holder of the {@link SignerLease} signs the snapshot and the timestamp (a single process
 * always holds it). Only the online keys (snapshot, timestamp) stay in memory; root and targets
 * keys are encrypted with a passphrase the server never sees.
 *
 * <p>Files are written so that a crash at any moment leaves what clients see either as it was or as
 * it became: a role file first, then the snapshot naming it, then {@code timestamp.json}, replaced
 * atomically (a rename, or one PUT). Clients only follow the timestamp, so a role or snapshot file
 * written before a crash is unreferenced and harmless: a role file is overwritten by the next
 * change that takes its version, a snapshot file is skipped (the next snapshot takes a higher
 * version).
 *
 * <p>Fencing: a node may lose the signer lease in the middle of a change (a long pause, its
 * database session lost) while another node signs. Its timestamp is written only in place of the
 * one its change read, and snapshot files are created, never replaced; so its write fails and
 * nothing it wrote is named, and clients never see two timestamps of one version nor a named file
 * change. Thread-safe.
 */
public final class RegistryRepository {
  /** How long newly signed metadata of each role stays valid. */
  public static final Duration ROOT_VALIDITY = Duration.ofDays(365);

  public static final Duration TARGETS_VALIDITY = Duration.ofDays(180);
  public static final Duration SNAPSHOT_VALIDITY = Duration.ofDays(7);
  public static final Duration TIMESTAMP_VALIDITY = Duration.ofDays(1);

  /** How many taken snapshot versions a change skips before it gives up. */
  private static final int MAX_SNAPSHOT_TRIES = 100;

  /** Largest delegated metadata file accepted. */
  public static final int MAX_METADATA_LENGTH = 5_000_000;

  private final RegistryLayout layout;
  private final RegistryStore store;
  private final Clock clock;
  private final BlobStore blobs;
  private final Ed25519SigningKey snapshotKey;
  private final Ed25519SigningKey timestampKey;
  private final WriterLock writerLock;
  private final SignerLease signerLease;
  private final SubmissionRelay relay;

  private RegistryRepository(
      RegistryLayout layout,
      RegistryStore store,
      Clock clock,
      Ed25519SigningKey snapshotKey,
      Ed25519SigningKey timestampKey,
      Coordination coordination) {
    this.layout = layout;
    this.store = store;
    this.clock = clock;
    this.blobs = new BlobStore(store);
    this.snapshotKey = snapshotKey;
    this.timestampKey = timestampKey;
    this.writerLock = coordination.writerLock();
    this.signerLease = coordination.signerLease();
    this.relay = coordination.relay();
  }

  /**
   * What {@link #initialise} made: the pin a client needs, and a local file holding the root it
   * pins (in the data directory's store, or a copy beside the keys when the store is elsewhere).
   */
  public record Initialised(String rootSha256, Path rootFile) {}

  /** An accepted submission: the role's new version, and the snapshot and timestamp naming it. */
  public record Published(String role, long version, long snapshot, long timestamp) {}

  /**
   * A delegation made: the new top-level targets version and the snapshot and timestamp naming it.
   *
   * @param replaced whether the role was delegated before (its delegation was replaced in place)
   * @param staleRoleVersion the version of the role's published metadata, when its keys or a higher
   *     threshold make it fail verification until the publisher submits a new version
   */
  public record Delegated(
      long targetsVersion,
      long snapshot,
      long timestamp,
      boolean replaced,
      OptionalLong staleRoleVersion) {}

  /** What the current timestamp says (read from the store, not verified: the registry wrote it). */
  public record Status(long timestampVersion, Instant timestampExpires, long snapshotVersion) {}

  /** What {@link #refresh} re-signed. */
  public enum Refreshed {
    NOTHING,
    /** Nothing: another node holds the signer lease. */
    NOT_SIGNER,
    TIMESTAMP,
    SNAPSHOT_AND_TIMESTAMP
  }

  /** Whether {@code store} already holds a repository. */
  public static boolean isInitialised(RegistryStore store) throws IOException {
    return store.metadata("1.root.json").isPresent();
  }

  /** Whether the data directory {@code layout} already holds a repository (the default store). */
  public static boolean isInitialised(RegistryLayout layout) throws IOException {
    return isInitialised(new FileSystemStore(layout));
  }

  /** {@link #initialise(RegistryLayout, RegistryStore, char[], Clock)} in the data directory. */
  public static Initialised initialise(RegistryLayout layout, char[] offlinePassphrase, Clock clock)
      throws IOException, SigningException {
    return initialise(layout, new FileSystemStore(layout), offlinePassphrase, clock);
  }

  /**
   * Creates the four role keys and version-1 metadata. Root and targets keys are encrypted with
   * {@code offlinePassphrase}; the online keys with a random passphrase kept in {@code
   * keys/online.passphrase} (mode 0600) so that the server can start unattended. Keys stay in
   * {@code layout}'s data directory; metadata goes to {@code store}.
   */
  public static Initialised initialise(
      RegistryLayout layout, RegistryStore store, char[] offlinePassphrase, Clock clock)
      throws IOException, SigningException {
    DataLock.Held lock = DataLock.acquire(layout);
    try (lock) {
      if (isInitialised(store)) {
        throw new FileAlreadyExistsException(
            store.describe(),
            null,
            "a repository already exists here; refusing to overwrite its keys");
      }
      PrivateFiles.createDirectories(layout.keys());
      // a keys directory made earlier by hand is made private too
      Files.setPosixFilePermissions(layout.keys(), PrivateFiles.DIRECTORY);
      PrivateFiles.createDirectories(layout.uploads());
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      char[] onlinePassphrase = HexFormat.of().formatHex(random).toCharArray();
      AtomicFiles.write(
          layout.onlinePassphrase(),
          out -> out.write(new String(onlinePassphrase).getBytes(StandardCharsets.US_ASCII)),
          AtomicFiles.OWNER_ONLY,
          false);

      Map<String, Ed25519SigningKey> keys = new LinkedHashMap<>();
      for (String role : List.of("root", "targets", "snapshot", "timestamp")) {
        Ed25519SigningKey key = Ed25519SigningKey.generate();
        boolean offline = role.equals("root") || role.equals("targets");
        if (offline) {
          KeyFiles.write(key, layout.key(role), offlinePassphrase);
        } else {
          KeyFiles.write(
              key, layout.key(role), onlinePassphrase, KeyFiles.Cost.GENERATED_PASSPHRASE);
        }
        keys.put(role, key);
      }
      Instant now = clock.instant();
      Map<String, Key> publicKeys = new LinkedHashMap<>();
      Map<String, RoleKeys> roles = new LinkedHashMap<>();
      keys.forEach(
          (role, key) -> {
            publicKeys.put(key.keyId(), key.publicKey());
            roles.put(role, new RoleKeys(List.of(key.keyId()), 1));
          });
      Root root =
          new Root(Signed.SPEC_VERSION, 1, now.plus(ROOT_VALIDITY), true, publicKeys, roles);
      Repository repository =
          Repository.start(Metadata.of(root).signedBy(List.of(keys.get("root"))));
      Targets targets =
          new Targets(
              Signed.SPEC_VERSION,
              1,
              now.plus(TARGETS_VALIDITY),
              Map.of(),
              Optional.of(new Delegations(Map.of(), List.of())));
      repository.putTargets("targets", Metadata.of(targets).signedBy(List.of(keys.get("targets"))));
      RegistryRepository created =
          new RegistryRepository(
              layout,
              store,
              clock,
              keys.get("snapshot"),
              keys.get("timestamp"),
              Coordination.sole(layout));
      // 1.root.json last: it is what marks the store as initialised; what an initialisation that
      // did not finish wrote before it is replaced
      created.writeChanged(
          repository, Set.of("targets"), store.metadata(StoreKeys.TIMESTAMP), true);
      for (Metadata<Root> r : repository.roots()) {
        store.putMetadata(r.signed().version() + ".root.json", r.toBytes());
      }
      byte[] rootBytes = repository.root().toBytes();
      Optional<Path> stored = store.localFile(StoreKeys.metadata("1.root.json"));
      Path rootFile;
      if (stored.isPresent()) {
        rootFile = stored.get();
      } else {
        // a store without local files: a copy beside the keys, for the owner to hand to clients
        rootFile = layout.keys().resolve("1.root.json");
        AtomicFiles.write(rootFile, rootBytes);
      }
      return new Initialised(Digests.sha256Hex(rootBytes), rootFile);
    }
  }

  /**
   * Decrypts the online keys of the repository in {@code layout} and checks its metadata loads; as
   * a single process (the data directory's lock, the signer lease always held), the metadata in the
   * data directory.
   */
  public static RegistryRepository open(RegistryLayout layout, Clock clock)
      throws IOException, SigningException {
    return open(layout, new FileSystemStore(layout), clock, Coordination.sole(layout));
  }

  /** {@link #open(RegistryLayout, RegistryStore, Clock, Coordination)} as a single process. */
  public static RegistryRepository open(RegistryLayout layout, RegistryStore store, Clock clock)
      throws IOException, SigningException {
    return open(layout, store, clock, Coordination.sole(layout));
  }

  /**
   * {@link #open(RegistryLayout, RegistryStore, Clock, Coordination)} with the metadata in the data
   * directory.
   */
  public static RegistryRepository open(
      RegistryLayout layout, Clock clock, Coordination coordination)
      throws IOException, SigningException {
    return open(layout, new FileSystemStore(layout), clock, coordination);
  }

  /**
   * Decrypts the online keys in {@code layout}'s data directory and checks the metadata in {@code
   * store} loads; changes run under the {@code coordination}'s writer lock and sign only while this
   * node holds its signer lease. From now on the repository publishes what other nodes relay to it
   * while it holds the lease.
   */
  public static RegistryRepository open(
      RegistryLayout layout, RegistryStore store, Clock clock, Coordination coordination)
      throws IOException, SigningException {
    return open(layout, store, clock, coordination, Optional.empty());
  }

  /**
   * {@link #open(RegistryLayout, RegistryStore, Clock, Coordination)} with the online keys'
   * passphrase {@code onlineSecret} when given, else the data directory's passphrase file ({@link
   * OnlineKeys}).
   */
  public static RegistryRepository open(
      RegistryLayout layout,
      RegistryStore store,
      Clock clock,
      Coordination coordination,
      Optional<String> onlineSecret)
      throws IOException, SigningException {
    if (!isInitialised(store)) {
      throw new SigningException(
          "no repository in "
              + store.describe()
              + "; run 'warder-registry init --data "
              + layout.data()
              + "' with the same storage configuration");
    }
    OnlineKeys keys = OnlineKeys.read(layout, onlineSecret);
    RegistryRepository repository =
        new RegistryRepository(
            layout, store, clock, keys.snapshot(), keys.timestamp(), coordination);
    repository.load();
    coordination.relay().serve(repository::publishRelayed);
    return repository;
  }

  public RegistryLayout layout() {
    return layout;
  }

  /**
   * Runs {@code action} each time this node takes the signer lease from another (never in a single
   * process, which always holds it); it must return quickly.
   */
  public void whenSigner(Runnable action) {
    signerLease.whenTaken(action);
  }

  /** Where the repository's metadata and blobs are. */
  public RegistryStore store() {
    return store;
  }

  /** Metadata file {@code name}, which must exist. */
  private byte[] read(String name) throws IOException {
    return read(store, name);
  }

  /** Metadata file {@code name} of {@code store}, which must exist. */
  private static byte[] read(RegistryStore store, String name) throws IOException {
    return store
        .metadata(name)
        .orElseThrow(
            () ->
                new NoSuchFileException(
                    store.describe() + "/" + StoreKeys.metadata(name),
                    null,
                    "expected by the current metadata, found missing; restore it from a backup"));
  }

  /**
   * The repository as clients see it now: every root, the timestamp, the snapshot it names, and the
   * targets roles that snapshot lists, read from the store. Files not reachable from the timestamp
   * (left by a crash) are ignored.
   */
  public Repository load() throws IOException, SigningException {
    return current().repository();
  }

  /**
   * The repository as {@link #load} reads it, and the bytes of the timestamp it was read from: a
   * change replaces that timestamp only while it is still the store's ({@link
   * RegistryStore#putTimestamp}), so that a node that lost the signer lease while it wrote never
   * replaces what the new signer wrote.
   */
  private static final class Current {
    private final Repository repository;
    private final byte[] timestamp;

    Current(Repository repository, byte[] timestamp) {
      this.repository = repository;
      this.timestamp = timestamp;
    }

    Repository repository() {
      return repository;
    }

    byte[] timestamp() {
      return timestamp.clone();
    }
  }

  private Current current() throws IOException, SigningException {
    return current(store);
  }

  private static Current current(RegistryStore store) throws IOException, SigningException {
    Repository repository =
        Repository.start(Metadata.parse(read(store, "1.root.json"), Root.class, "root"));
    for (long v = 2; ; v++) {
      Optional<byte[]> next = store.metadata(v + ".root.json");
      if (next.isEmpty()) {
        break;
      }
      repository.addRoot(Metadata.parse(next.get(), Root.class, "root"));
    }
    byte[] timestampBytes = read(store, StoreKeys.TIMESTAMP);
    Metadata<Timestamp> timestamp = Metadata.parse(timestampBytes, Timestamp.class, "timestamp");
    long snapshotVersion = timestamp.signed().snapshotMeta().version();
    Metadata<Snapshot> snapshot =
        Metadata.parse(read(store, snapshotVersion + ".snapshot.json"), Snapshot.class, "snapshot");
    for (String role : listedRoles(snapshot.signed())) {
      String file =
          snapshot.signed().meta().get(role + ".json").version() + "." + Urls.quote(role) + ".json";
      repository.putTargets(role, Metadata.parse(read(store, file), Targets.class, role));
    }
    repository.restore(Optional.of(snapshot), Optional.of(timestamp));
    return new Current(repository, timestampBytes);
  }

  /** The targets roles {@code snapshot} lists, in its order: top-level targets and delegated. */
  private static List<String> listedRoles(Snapshot snapshot) {
    return snapshot.meta().keySet().stream()
        .map(file -> file.substring(0, file.length() - ".json".length()))
        .toList();
  }

  /**
   * The version and expiry of every role's current metadata in {@code store}, as clients see it
   * (from the timestamp on, not verified: the registry wrote it): root, timestamp, snapshot, the
   * top-level targets, then every delegated role the snapshot lists. Needs no key, so that the
   * owner reads it from any host that reaches the store.
   */
  public static List<RoleExpiry> expiries(RegistryStore store)
      throws IOException, SigningException {
    Repository repository = current(store).repository();
    List<RoleExpiry> roles = new ArrayList<>();
    roles.add(RoleExpiry.of("root", repository.root().signed()));
    roles.add(RoleExpiry.of("timestamp", repository.timestamp().orElseThrow().signed()));
    Snapshot snapshot = repository.snapshot().orElseThrow().signed();
    roles.add(RoleExpiry.of("snapshot", snapshot));
    roles.add(RoleExpiry.of("targets", repository.targets("targets").orElseThrow().signed()));
    for (String role : listedRoles(snapshot)) {
      if (!role.equals("targets")) {
        roles.add(RoleExpiry.of(role, repository.targets(role).orElseThrow().signed()));
      }
    }
    return List.copyOf(roles);
  }

  /** The versions and expiry of the current timestamp. */
  public Status status() throws IOException, TufException {
    Metadata<Timestamp> t = Metadata.parse(read(StoreKeys.TIMESTAMP), Timestamp.class, "timestamp");
    return new Status(
        t.signed().version(), t.signed().expires(), t.signed().snapshotMeta().version());
  }

  /**
   * Accepts new metadata of the delegated role {@code role}, after every check of
   * docs/registry-api.md: valid targets metadata, delegated, signed by a threshold of the
   * delegation's keys, every path inside the delegated paths of the whole chain, version grows, not
   * expired, and every target's blob stored with the signed length and hashes. Then writes the role
   * file, a new snapshot and the timestamp.
   *
   * <p>The expensive checks run before the data lock is taken, so that a large submission holds up
   * neither other publishers nor the re-signing of the timestamp: the delegation against the
   * metadata published at the start, then the blobs, whole blobs being read when more than sha256
   * is signed. Blobs are content-addressed and never rewritten, so hashes checked stay true; under
   * the lock only the cheap checks run again, against the metadata as it is then (a delegation or
   * version may have changed meanwhile, a blob may have been removed).
   *
   * <p>On a node that does not hold the signer lease, a submission that passed the checks is
   * relayed to the holder, which checks it again, publishes it and answers for it.
   *
   * <p>Submitting exactly the role's current metadata again (a publisher retrying after its answer
   * was lost, or a relayed submission whose holder died after publishing it) answers as the first
   * submission did, with the snapshot and timestamp that name it now.
   */
  public Published submit(String role, byte[] body)
      throws RegistryException, IOException, SigningException {
    Submission submission = check(role, body);
    if (submission.published().isPresent()) {
      return submission.published().get();
    }
    if (!signerLease.check().held()) {
      return relay.relay(role, body);
    }
    return publish(role, submission.metadata());
  }

  /** A submission that passed the checks, and its answer when it is what is published already. */
  private record Submission(Metadata<Targets> metadata, Optional<Published> published) {}

  /**
   * Accepts {@code body} as {@link #submit} does, on the node that holds the signer lease: never
   * relayed, refused ({@link ErrorCode#NOT_SIGNER}) when this node does not hold the lease.
   */
  private Published publishRelayed(String role, byte[] body)
      throws RegistryException, IOException, SigningException {
    Submission submission = check(role, body);
    if (submission.published().isPresent()) {
      return submission.published().get();
    }
    return publish(role, submission.metadata());
  }

  /** The checks of {@link #submit} that need no lock. */
  private Submission check(String role, byte[] body)
      throws RegistryException, IOException, SigningException {
    Metadata<Targets> submitted;
    try {
      submitted = Metadata.parse(body, Targets.class, role);
    } catch (TufException e) {
      throw Refusals.of(role, e);
    }
    checkPatterns(role, submitted.signed());
    Repository current = load();
    Optional<Published> published = published(current, role, submitted);
    if (published.isEmpty()) {
      checkDelegated(current, role, submitted);
      checkBlobContents(role, submitted.signed().targets().values());
    }
    return new Submission(submitted, published);
  }

  /** The answer to {@code submitted}, when it is exactly {@code role}'s current metadata. */
  private static Optional<Published> published(
      Repository repository, String role, Metadata<Targets> submitted) {
    return repository
        .targets(role)
        .filter(current -> Arrays.equals(current.toBytes(), submitted.toBytes()))
        .map(
            current ->
                new Published(
                    role,
                    current.signed().version(),
                    repository.snapshot().orElseThrow().signed().version(),
                    repository.timestamp().orElseThrow().signed().version()));
  }

  /** Under the writer lock, checks again what may have changed, then writes and signs. */
  private Published publish(String role, Metadata<Targets> submitted)
      throws RegistryException, IOException, SigningException {
    WriterLock.Held lock = writerLock.acquire();
    try (lock) {
      SignerLease.Check signer = signerLease.check();
      if (!signer.held()) {
        throw new RegistryException(
            ErrorCode.NOT_SIGNER,
            "this node cannot publish "
                + role
                + ": expected to hold the signer lease to sign the snapshot and timestamp, found"
                + " it held by "
                + signer.holder()
                + "; retry, through another node",
            Map.of("role", role));
      }
      Current current = current();
      Repository repository = current.repository();
      Optional<Published> published = published(repository, role, submitted);
      if (published.isPresent()) {
        return published.get();
      }
      checkDelegated(repository, role, submitted);
      for (TargetFile target : submitted.signed().targets().values()) {
        checkBlobStored(role, target);
      }
      repository.putTargets(role, submitted);
      try {
        writeChanged(repository, Set.of(role), Optional.of(current.timestamp()), false);
      } catch (StoreConflictException e) {
        throw new RegistryException(
            ErrorCode.NOT_SIGNER,
            "this node could not publish "
                + role
                + ": "
                + e.getMessage()
                + " (this node lost the signer lease while it wrote; clients never see what it"
                + " wrote); retry, through another node",
            Map.of("role", role),
            e);
      }
      return new Published(
          role,
          submitted.signed().version(),
          repository.snapshot().orElseThrow().signed().version(),
          repository.timestamp().orElseThrow().signed().version());
    }
  }

  /**
   * Refuses a submission whose delegations name a path pattern {@code warder-registry delegate}
   * would refuse: the registry and its clients match every delegated pattern against paths.
   */
  private static void checkPatterns(String role, Targets submitted) throws RegistryException {
    for (DelegatedRole delegated :
        submitted.delegations().map(Delegations::roles).orElse(List.of())) {
      for (String pattern : delegated.paths().orElse(List.of())) {
        Optional<String> problem = Delegation.checkPattern(pattern);
        if (problem.isPresent()) {
          throw new RegistryException(
              ErrorCode.PATTERN_INVALID,
              role
                  + " delegates to "
                  + delegated.name()
                  + ": "
                  + problem.get()
                  + "; sign the metadata again"
                  + " without that pattern",
              Map.of("role", role, "delegatedRole", delegated.name(), "pattern", pattern));
        }
      }
    }
  }

  private void checkDelegated(Repository repository, String role, Metadata<Targets> submitted)
      throws RegistryException {
    try {
      repository.checkDelegated(role, submitted, clock.instant());
    } catch (TufException e) {
      throw Refusals.of(role, e);
    }
  }

  /**
   * The sha256 of {@code target}'s blob, after checking the blob is stored with the signed length.
   */
  private String checkBlobStored(String role, TargetFile target)
      throws RegistryException, IOException {
    String path = target.path();
    Optional<String> sha256 = target.sha256();
    if (sha256.isEmpty()) {
      throw new RegistryException(
          ErrorCode.BLOB_UNKNOWN,
          role
              + " target "
              + path
              + " signs no sha256 hash, found only "
              + target.hashes().keySet()
              + "; the registry stores blobs by sha256: sign one",
          Map.of("path", path));
    }
    String hex = sha256.get().toLowerCase(Locale.ROOT);
    OptionalLong size = blobs.size(hex);
    if (size.isEmpty()) {
      throw new RegistryException(
          ErrorCode.BLOB_UNKNOWN,
          role
              + " target "
              + path
              + ": expected a blob with sha256 "
              + hex
              + ", found none; upload it first"
              + " (POST /api/v1/uploads, PATCH, PUT ?sha256=&length=)",
          Map.of("path", path, "sha256", hex));
    }
    if (size.getAsLong() != target.length()) {
      throw new RegistryException(
          ErrorCode.BLOB_UNKNOWN,
          role
              + " target "
              + path
              + ": expected a blob of "
              + target.length()
              + " bytes (signed) with sha256 "
              + hex
              + ", found "
              + size.getAsLong()
              + " bytes; sign the blob's real length",
          Map.of(
              "path", path, "sha256", hex, "expected", target.length(), "found", size.getAsLong()));
    }
    return hex;
  }

  /**
   * Checks every target's blob: stored with the signed length, with every other hash signed besides
   * sha256, and with the chunk hashes signed in its {@code custom} object (else clients would
   * refuse the blob). Each blob is read at most once for all the algorithms all the targets naming
   * it sign, and once for each target signing chunk hashes.
   */
  private void checkBlobContents(String role, Collection<TargetFile> targets)
      throws RegistryException, IOException {
    for (TargetFile target : targets) {
      checkChunks(role, target);
    }
    Map<String, Map<String, String>> algorithmsByBlob = new LinkedHashMap<>();
    Map<String, String> firstPath = new LinkedHashMap<>();
    for (TargetFile target : targets) {
      String hex = checkBlobStored(role, target);
      firstPath.putIfAbsent(hex, target.path());
      Map<String, String> algorithms =
          algorithmsByBlob.computeIfAbsent(hex, h -> new LinkedHashMap<>());
      target
          .hashes()
          .forEach(
              (algorithm, value) -> {
                if (!algorithm.equals("sha256")) {
                  algorithms.putIfAbsent(algorithm, value);
                }
              });
    }
    Map<String, Map<String, String>> found = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, String>> blob : algorithmsByBlob.entrySet()) {
      if (!blob.getValue().isEmpty()) {
        String what = role + " target " + firstPath.get(blob.getKey());
        found.put(blob.getKey(), hashStoredBlob(what, blob.getKey(), blob.getValue()));
      }
    }
    for (TargetFile target : targets) {
      String hex = target.sha256().orElseThrow().toLowerCase(Locale.ROOT);
      for (Map.Entry<String, String> hash : target.hashes().entrySet()) {
        if (hash.getKey().equals("sha256")) {
          continue;
        }
        String expected = hash.getValue().toLowerCase(Locale.ROOT);
        String actual = found.get(hex).get(hash.getKey());
        if (!actual.equals(expected)) {
          DigestMismatchException mismatch =
              new DigestMismatchException(target.path(), hash.getKey(), expected, actual);
          throw new RegistryException(
              ErrorCode.BLOB_UNKNOWN,
              role
                  + " target "
                  + target.path()
                  + ": the stored blob does not match: "
                  + mismatch.getMessage(),
              Map.of("path", target.path(), "sha256", hex),
              mismatch);
        }
      }
    }
  }

  /**
   * Reads {@code target}'s blob through the chunk hashes signed for it, when it has some: each
   * chunk and the whole blob must match, as clients will check them while they download.
   */
  private void checkChunks(String role, TargetFile target) throws RegistryException, IOException {
    String what = role + " target " + target.path();
    Optional<ChunkHashes> chunks;
    try {
      chunks = ChunkHashes.of(target);
    } catch (MetadataFormatException e) {
      throw Refusals.of(role, e);
    }
    if (chunks.isEmpty()) {
      return;
    }
    String sha256 = checkBlobStored(role, target);
    try (InputStream in =
        new ChunkVerifyingInputStream(openBlob(what, sha256), target, chunks.get())) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (VerificationIOException e) {
      throw new RegistryException(
          ErrorCode.BLOB_UNKNOWN,
          what + ": the stored blob does not match: " + e.getMessage(),
          Map.of("path", target.path(), "sha256", sha256),
          e.reason());
    } catch (UnsupportedHashException e) {
      throw Refusals.of(role, e);
    }
  }

  /** The hex digests of blob {@code sha256} by each algorithm of {@code hashes} (values unused). */
  private Map<String, String> hashStoredBlob(String what, String sha256, Map<String, String> hashes)
      throws RegistryException, IOException {
    Map<String, MessageDigest> digests;
    try {
      digests = LengthAndHashes.digests(what, hashes);
    } catch (TufException e) {
      throw new RegistryException(
          ErrorCode.BLOB_UNKNOWN,
          what + ": the stored blob does not match: " + e.getMessage(),
          Map.of("sha256", sha256),
          e);
    }
    try (InputStream in = openBlob(what, sha256)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        for (MessageDigest d : digests.values()) {
          d.update(buffer, 0, n);
        }
      }
    }
    Map<String, String> hex = new LinkedHashMap<>();
    digests.forEach((algorithm, d) -> hex.put(algorithm, HexFormat.of().formatHex(d.digest())));
    return hex;
  }

  /** The bytes of blob {@code sha256}, checked to be stored a moment ago. */
  private InputStream openBlob(String what, String sha256) throws RegistryException, IOException {
    return blobs
        .open(sha256)
        .orElseThrow(
            () ->
                new RegistryException(
                    ErrorCode.BLOB_UNKNOWN,
                    what
                        + ": the blob with sha256 "
                        + sha256
                        + " was removed while it was checked;"
                        + " upload it again",
                    Map.of("sha256", sha256)));
  }

  /**
   * Makes top-level targets delegate {@code role} (terminating) to {@code keys} with {@code
   * threshold} for {@code paths}, replacing an existing delegation of that name in place; signs the
   * next targets version with {@code targetsKey}, which must satisfy root's targets role; then
   * writes it, a new snapshot and the timestamp.
   */
  public Delegated delegate(
      String role, List<Key> keys, int threshold, List<String> paths, Signer targetsKey)
      throws IOException, SigningException {
    Delegation.check(role, keys, threshold, paths)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(problem);
            });
    List<String> keyids = keys.stream().map(Key::keyId).toList();
    DelegatedRole delegation = DelegatedRole.withPaths(role, keyids, threshold, true, paths);
    boolean[] replaced = {false};
    OptionalLong[] stale = {OptionalLong.empty()};
    Resigned resigned =
        resignTargets(
            "delegate " + role,
            targetsKey,
            TARGETS_VALIDITY,
            (repository, before) -> {
              List<DelegatedRole> roles = new ArrayList<>(before.roles());
              for (int i = 0; i < roles.size(); i++) {
                if (roles.get(i).name().equals(role)) {
                  roles.set(i, delegation);
                  replaced[0] = true;
                }
              }
              if (!replaced[0]) {
                roles.add(delegation);
              }
              // Metadata already published for the role was signed for the old delegation: name
              // its version.
              Optional<Metadata<Targets>> existing = repository.targets(role);
              if (replaced[0] && existing.isPresent()) {
                DelegatedRole old = before.role(role).orElseThrow();
                if (!Set.copyOf(old.keyids()).equals(Set.copyOf(keyids))
                    || threshold > old.threshold()) {
                  stale[0] = OptionalLong.of(existing.get().signed().version());
                }
              }
              // keep only keys some delegation still names
              Map<String, Key> allKeys = new LinkedHashMap<>(before.keys());
              keys.forEach(k -> allKeys.put(k.keyId(), k));
              Set<String> named = new LinkedHashSet<>();
              roles.forEach(r -> named.addAll(r.keyids()));
              allKeys.keySet().retainAll(named);
              return new Delegations(allKeys, roles);
            });
    return new Delegated(
        resigned.targets().version(),
        resigned.snapshot(),
        resigned.timestamp(),
        replaced[0],
        stale[0]);
  }

  /**
   * Signs the next version of the top-level targets with {@code targetsKey}, which must satisfy
   * root's targets role, listing the same targets and delegations, valid for {@code validity}; then
   * writes it, a new snapshot and the timestamp. The owner runs it before the targets expire: the
   * server cannot, it holds no targets key. Returns the new version and its expiry.
   */
  public RoleExpiry renewTargets(Duration validity, Signer targetsKey)
      throws IOException, SigningException {
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException(
          "expected a positive validity for the top-level targets, found " + validity);
    }
    return resignTargets(
            "renew the top-level targets", targetsKey, validity, (repository, before) -> before)
        .targets();
  }

  /** How {@link #resignTargets} changes the delegations of the top-level targets. */
  @FunctionalInterface
  private interface DelegationsChange {
    Delegations apply(Repository repository, Delegations before);
  }

  /** What {@link #resignTargets} signed: targets, and the snapshot and timestamp naming them. */
  private record Resigned(RoleExpiry targets, long snapshot, long timestamp) {}

  /**
   * Under the writer lock and signer lease, signs the next top-level targets version, with the
   * delegations {@code change} makes, valid for {@code validity}, with {@code targetsKey}; then
   * writes it, a new snapshot and the timestamp. {@code what} names the change in refusals.
   */
  private Resigned resignTargets(
      String what, Signer targetsKey, Duration validity, DelegationsChange change)
      throws IOException, SigningException {
    WriterLock.Held lock = writerLock.acquire();
    try (lock) {
      SignerLease.Check signer = signerLease.check();
      if (!signer.held()) {
        throw new SigningException(
            "cannot "
                + what
                + ": expected to hold the signer lease to sign the snapshot and timestamp, found it"
                + " held by "
                + signer.holder()
                + "; stop the registry's servers (each releases it as it stops), or wait until it"
                + " expires, and run the command again");
      }
      Current loaded = current();
      Repository repository = loaded.repository();
      Targets current = repository.targets("targets").orElseThrow().signed();
      Delegations before = current.delegations().orElse(new Delegations(Map.of(), List.of()));
      Targets next =
          new Targets(
              Signed.SPEC_VERSION,
              current.version() + 1,
              clock.instant().plus(validity),
              current.targets(),
              Optional.of(change.apply(repository, before)));
      Metadata<Targets> signed = Metadata.of(next).signedBy(List.of(targetsKey));
      try {
        repository.checkTargetsSigned(signed);
      } catch (TufException e) {
        throw new SigningException(
            "the key in "
                + layout.key("targets")
                + " cannot sign targets for this registry ("
                + e.getMessage()
                + "); use the targets key(s) the current root names",
            e);
      }
      repository.putTargets("targets", signed);
      writeChanged(repository, Set.of("targets"), Optional.of(loaded.timestamp()), false);
      return new Resigned(
          RoleExpiry.of("targets", next),
          repository.snapshot().orElseThrow().signed().version(),
          repository.timestamp().orElseThrow().signed().version());
    }
  }

  /**
   * Re-signs what is about to expire, so clients never see it expire while the server runs: the
   * snapshot (and with it the timestamp) when the snapshot expires within {@code snapshotMargin},
   * else the timestamp when it expires within {@code timestampMargin}; nothing when this node does
   * not hold the signer lease.
   */
  public Refreshed refresh(Duration timestampMargin, Duration snapshotMargin)
      throws IOException, SigningException {
    WriterLock.Held lock = writerLock.acquire();
    try (lock) {
      if (!signerLease.check().held()) {
        return Refreshed.NOT_SIGNER;
      }
      Current current = current();
      Repository repository = current.repository();
      Optional<byte[]> replacing = Optional.of(current.timestamp());
      Instant now = clock.instant();
      Instant snapshotExpires = repository.snapshot().orElseThrow().signed().expires();
      if (!now.plus(snapshotMargin).isBefore(snapshotExpires)) {
        writeChanged(repository, Set.of(), replacing, false);
        return Refreshed.SNAPSHOT_AND_TIMESTAMP;
      }
      Instant timestampExpires = repository.timestamp().orElseThrow().signed().expires();
      if (!now.plus(timestampMargin).isBefore(timestampExpires)) {
        byte[] resigned =
            repository.timestamp(now.plus(TIMESTAMP_VALIDITY), List.of(timestampKey)).toBytes();
        FailPoints.hit(FailPoints.RESIGN_BEFORE_TIMESTAMP);
        store.putTimestamp(resigned, replacing);
        return Refreshed.TIMESTAMP;
      }
      return Refreshed.NOTHING;
    }
  }

  /**
   * Removes the temporary files of atomic writes that a crash left in the metadata directory and
   * the data directory. They are never served and never read; this only reclaims space. Holds the
   * data directory's own {@link DataLock} (the writer lock of a single process), never the lock the
   * nodes share: a node starts while another node is in the middle of a change, however long that
   * change takes.
   */
  public int removeTemporaryFiles() throws IOException {
    int removed = 0;
    DataLock.Held lock = DataLock.acquire(layout);
    try (lock) {
      for (Path dir : List.of(layout.metadata(), layout.data(), layout.keys())) {
        if (!Files.isDirectory(dir)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp")) {
          for (Path f : files) {
            if (Files.isRegularFile(f) && Files.deleteIfExists(f)) {
              removed++;
            }
          }
        }
      }
    }
    return removed;
  }

  /**
   * Writes the files of {@code changed} targets roles (replacing files a crash may have left under
   * the same names: no snapshot names them), then a new snapshot, then the timestamp in place of
   * {@code replacing}. The snapshot takes the first version above the current one that no file has
   * yet (a crash, or a node that lost the signer lease, may have left one): a snapshot file is
   * never replaced, so one a committed timestamp names never changes. A change that fails before
   * its timestamp is in place (a full disk, a store that refuses) removes the files it wrote, so
   * that nothing it wrote stays behind; none was served ({@code ReferencedBlobs#names}).
   *
   * @throws StoreConflictException when the timestamp is not {@code replacing} any more: another
   *     node signed meanwhile, and nothing this change wrote is named by anything; its files stay
   *     (the writer now may have written its own under the same names)
   */
  private void writeChanged(
      Repository repository, Set<String> changed, Optional<byte[]> replacing, boolean initialising)
      throws IOException, SigningException {
    Instant now = clock.instant();
    Map<String, byte[]> written = new LinkedHashMap<>();
    byte[] timestamp = new byte[0];
    try {
      for (String role : changed) {
        Metadata<Targets> t = repository.targets(role).orElseThrow();
        String name = t.signed().version() + "." + Urls.quote(role) + ".json";
        byte[] bytes = t.toBytes();
        store.putMetadata(name, bytes);
        written.put(name, bytes);
      }
      failPoint(!initialising, FailPoints.PUBLISH_AFTER_ROLE);
      long version = repository.snapshot().map(s -> s.signed().version() + 1).orElse(1L);
      for (int tries = 1; ; tries++, version++) {
        byte[] snapshot =
            repository
                .snapshot(version, now.plus(SNAPSHOT_VALIDITY), List.of(snapshotKey))
                .toBytes();
        if (store.createMetadata(version + ".snapshot.json", snapshot)) {
          written.put(version + ".snapshot.json", snapshot);
          break;
        }
        if (tries == MAX_SNAPSHOT_TRIES) {
          throw new IOException(
              "expected a free snapshot version from "
                  + (version - tries + 1)
                  + " on in "
                  + store.describe()
                  + ", found "
                  + tries
                  + " versions taken by files no timestamp names; remove the unnamed"
                  + " N.snapshot.json files above the current timestamp's snapshot version");
        }
      }
      failPoint(!initialising, FailPoints.PUBLISH_AFTER_SNAPSHOT);
      timestamp =
          repository.timestamp(now.plus(TIMESTAMP_VALIDITY), List.of(timestampKey)).toBytes();
      store.putTimestamp(timestamp, replacing);
    } catch (StoreConflictException e) {
      throw e;
    } catch (IOException | SigningException | RuntimeException e) {
      removeUnnamed(written, timestamp, e);
      throw e;
    }
    failPoint(!initialising, FailPoints.PUBLISH_AFTER_TIMESTAMP);
  }

  /**
   * Removes the files {@code written} by a change that failed with {@code failure}, unless its
   * {@code timestamp} is in place after all (a write reported as failed that landed); a file that
   * cannot be removed is added to {@code failure}, and no snapshot names it.
   */
  private void removeUnnamed(Map<String, byte[]> written, byte[] timestamp, Exception failure) {
    try {
      if (store
          .metadata(StoreKeys.TIMESTAMP)
          .map(now -> Arrays.equals(now, timestamp))
          .orElse(false)) {
        return;
      }
      for (Map.Entry<String, byte[]> file : written.entrySet()) {
        store.deleteMetadata(file.getKey(), file.getValue());
      }
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static void failPoint(boolean armed, String name) {
    if (armed) {
      FailPoints.hit(name);
    }
  }
}
