package org.warder.signing.tuf;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata trusted during one update, verified step by step as TUF 1.0 §5 orders it: root,
 * timestamp, snapshot, then targets and delegated targets. Every expiry is judged against the one
 * instant the update started. A rejected file leaves the trusted set as it was, with one deliberate
 * exception: timestamp and snapshot are kept in memory before their final expiry and version
 * checks, so that even stale local copies still protect against rollback. Not thread-safe: one
 * instance serves one update.
 */
final class TrustedMetadata {
  static final String ROOT_DELEGATOR = "root";

  private final Instant now;
  private Metadata<Root> root;
  private Optional<Metadata<Timestamp>> timestamp = Optional.empty();
  private Optional<Metadata<Snapshot>> snapshot = Optional.empty();
  private final Map<String, Metadata<Targets>> targets = new HashMap<>();

  /** Starts from a trusted root, which must be signed by a threshold of its own root keys. */
  TrustedMetadata(byte[] trustedRoot, Instant now) throws TufException {
    this.now = now;
    this.root = TrustAnchors.checkSelfSigned(trustedRoot);
  }

  Instant now() {
    return now;
  }

  Metadata<Root> root() {
    return root;
  }

  Optional<Metadata<Timestamp>> timestamp() {
    return timestamp;
  }

  Optional<Metadata<Snapshot>> snapshot() {
    return snapshot;
  }

  Optional<Metadata<Targets>> targets(String role) {
    return Optional.ofNullable(targets.get(role));
  }

  /** Verifies root N+1 against the trusted root N and against itself, then trusts it. */
  Metadata<Root> updateRoot(byte[] bytes) throws TufException {
    if (timestamp.isPresent()) {
      throw new IllegalStateException("root cannot change after timestamp was loaded");
    }
    Metadata<Root> next = Metadata.parse(bytes, Root.class, "root");
    Root current = root.signed();
    SignatureThreshold.verify(
        next,
        "root v" + next.signed().version(),
        "the trusted root v" + current.version() + "'s root",
        current.keys(),
        current.role(RoleType.ROOT));
    SignatureThreshold.verify(
        next,
        "root v" + next.signed().version(),
        "its own root",
        next.signed().keys(),
        next.signed().role(RoleType.ROOT));
    if (next.signed().version() != current.version() + 1) {
      throw new VersionMismatchException(
          "new root (file " + (current.version() + 1) + ".root.json)",
          current.version() + 1,
          next.signed().version());
    }
    root = next;
    return next;
  }

  /** The final root must not be expired (freeze protection, spec 5.3.10). */
  void checkRootNotExpired() throws ExpiredMetadataException {
    if (root.signed().isExpired(now)) {
      throw new ExpiredMetadataException(
          "root v" + root.signed().version(), root.signed().expires(), now);
    }
  }

  /**
   * Verifies a timestamp. Returns it when it is newer than the trusted one; returns empty when it
   * has the trusted version (nothing changed: the trusted one is kept, as the spec requires).
   */
  Optional<Metadata<Timestamp>> updateTimestamp(byte[] bytes) throws TufException {
    if (snapshot.isPresent()) {
      throw new IllegalStateException("timestamp cannot change after snapshot was loaded");
    }
    checkRootNotExpired();
    Metadata<Timestamp> next = Metadata.parse(bytes, Timestamp.class, "timestamp");
    Root r = root.signed();
    SignatureThreshold.verify(
        next, "timestamp", "root's timestamp", r.keys(), r.role(RoleType.TIMESTAMP));
    if (timestamp.isPresent()) {
      Timestamp trusted = timestamp.get().signed();
      if (next.signed().version() < trusted.version()) {
        throw new RollbackException(
            "timestamp version "
                + next.signed().version()
                + " is lower than the trusted version "
                + trusted.version());
      }
      if (next.signed().version() == trusted.version()) {
        return Optional.empty();
      }
      long trustedSnapshot = trusted.snapshotMeta().version();
      if (next.signed().snapshotMeta().version() < trustedSnapshot) {
        throw new RollbackException(
            "timestamp names snapshot version "
                + next.signed().snapshotMeta().version()
                + ", lower than the trusted snapshot version "
                + trustedSnapshot);
      }
    }
    timestamp = Optional.of(next);
    checkFinalTimestamp();
    return timestamp;
  }

  void checkFinalTimestamp() throws ExpiredMetadataException {
    Timestamp t = requireTimestamp().signed();
    if (t.isExpired(now)) {
      throw new ExpiredMetadataException("timestamp v" + t.version(), t.expires(), now);
    }
  }

  /**
   * Verifies a snapshot against the timestamp (hash and length, unless it is the local copy that
   * the client already verified once) and against the trusted snapshot (no role removed, no version
   * decreased).
   */
  Metadata<Snapshot> updateSnapshot(byte[] bytes, boolean local) throws TufException {
    if (!targets.isEmpty()) {
      throw new IllegalStateException("snapshot cannot change after targets were loaded");
    }
    checkFinalTimestamp();
    MetaFile meta = requireTimestamp().signed().snapshotMeta();
    if (!local) {
      LengthAndHashes.verify("snapshot v" + meta.version(), bytes, meta.length(), meta.hashes());
    }
    Metadata<Snapshot> next = Metadata.parse(bytes, Snapshot.class, "snapshot");
    Root r = root.signed();
    SignatureThreshold.verify(
        next, "snapshot", "root's snapshot", r.keys(), r.role(RoleType.SNAPSHOT));
    if (snapshot.isPresent()) {
      for (Map.Entry<String, MetaFile> e : snapshot.get().signed().meta().entrySet()) {
        MetaFile now = next.signed().meta().get(e.getKey());
        if (now == null) {
          throw new RollbackException(
              "new snapshot no longer lists " + e.getKey() + ", which the trusted snapshot lists");
        }
        if (now.version() < e.getValue().version()) {
          throw new RollbackException(
              "new snapshot lists "
                  + e.getKey()
                  + " at version "
                  + now.version()
                  + ", lower than the trusted version "
                  + e.getValue().version());
        }
      }
    }
    snapshot = Optional.of(next);
    checkFinalSnapshot();
    return next;
  }

  void checkFinalSnapshot() throws TufException {
    Snapshot s = requireSnapshot().signed();
    if (s.isExpired(now)) {
      throw new ExpiredMetadataException("snapshot v" + s.version(), s.expires(), now);
    }
    long expected = requireTimestamp().signed().snapshotMeta().version();
    if (s.version() != expected) {
      throw new VersionMismatchException("snapshot (as timestamp lists it)", expected, s.version());
    }
  }

  /** The snapshot entry of a targets role; refuses a role the snapshot does not list. */
  MetaFile snapshotEntry(String role) throws TufException {
    MetaFile meta = requireSnapshot().signed().meta().get(role + ".json");
    if (meta == null) {
      throw new MissingMetadataException(
          "snapshot v"
              + requireSnapshot().signed().version()
              + " does not list "
              + role
              + ".json; the repository is inconsistent");
    }
    return meta;
  }

  /**
   * Verifies targets metadata of {@code role} delegated by {@code delegator} ({@code "root"} for
   * the top-level targets role).
   */
  Metadata<Targets> updateTargets(byte[] bytes, String role, String delegator) throws TufException {
    checkFinalSnapshot();
    MetaFile meta = snapshotEntry(role);
    LengthAndHashes.verify(role + " v" + meta.version(), bytes, meta.length(), meta.hashes());
    Metadata<Targets> next = Metadata.parse(bytes, Targets.class, role);
    verifyDelegated(next, role, delegator);
    if (next.signed().version() != meta.version()) {
      throw new VersionMismatchException(
          role + " (as snapshot lists it)", meta.version(), next.signed().version());
    }
    if (next.signed().isExpired(now)) {
      throw new ExpiredMetadataException(
          role + " v" + next.signed().version(), next.signed().expires(), now);
    }
    targets.put(role, next);
    return next;
  }

  /**
   * Checks that {@code metadata} of {@code role} carries a threshold of signatures from the keys
   * {@code delegator} trusts for it. Also used when a role already loaded through one delegator is
   * reached through another.
   */
  void verifyDelegated(Metadata<Targets> metadata, String role, String delegator)
      throws TufException {
    if (delegator.equals(ROOT_DELEGATOR)) {
      Root r = root.signed();
      SignatureThreshold.verify(
          metadata, role, "root's targets", r.keys(), r.role(RoleType.TARGETS));
      return;
    }
    Metadata<Targets> parent = targets.get(delegator);
    if (parent == null) {
      throw new IllegalStateException("delegator " + delegator + " is not loaded");
    }
    Delegations delegations =
        parent
            .signed()
            .delegations()
            .orElseThrow(() -> new MissingMetadataException(delegator + " delegates to no role"));
    DelegatedRole delegated =
        delegations
            .role(role)
            .orElseThrow(
                () -> new MissingMetadataException(delegator + " does not delegate to " + role));
    SignatureThreshold.verify(
        metadata,
        role,
        delegator + "'s delegated " + role,
        delegations.keys(),
        delegated.roleKeys());
  }

  private Metadata<Timestamp> requireTimestamp() {
    return timestamp.orElseThrow(() -> new IllegalStateException("timestamp not loaded"));
  }

  private Metadata<Snapshot> requireSnapshot() {
    return snapshot.orElseThrow(() -> new IllegalStateException("snapshot not loaded"));
  }
}
