package org.warder.signing.tuf;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.warder.signing.Signer;
import org.warder.signing.SigningException;

/**
 * The repository side of TUF, in memory: the current metadata of every role, and the operations
 * that change it: root rotation (signed by old and new root thresholds), new targets metadata,
 * and the snapshot and timestamp that must follow every change. Files are named for consistent
 * snapshots ({@code N.root.json}, {@code N.<role>.json}, {@code timestamp.json}). Not
 * thread-safe; callers serialise changes.
 */
public final class Repository {
  private final Map<Long, Metadata<Root>> roots = new LinkedHashMap<>();
  private final Map<Long, byte[]> rootFiles = new LinkedHashMap<>();
  private final Map<String, Metadata<Targets>> targets = new LinkedHashMap<>();
  private Optional<Metadata<Snapshot>> snapshot = Optional.empty();
  private Optional<Metadata<Timestamp>> timestamp = Optional.empty();

  private Repository(Metadata<Root> root) {
    putRoot(root);
  }

  private void putRoot(Metadata<Root> root) {
    roots.put(root.signed().version(), root);
    rootFiles.put(root.signed().version(), root.toBytes());
  }

  /**
   * A repository starting from {@code root}, which must already be signed by a threshold of its
   * own root keys.
   */
  public static Repository start(Metadata<Root> root) throws TufException {
    TrustAnchors.checkSelfSigned(root.toBytes());
    return new Repository(root);
  }

  /** The newest root. */
  public Metadata<Root> root() {
    return roots.get(Collections.max(roots.keySet()));
  }

  /** Every root version, oldest first (clients walk them one by one; none is ever removed). */
  public List<Metadata<Root>> roots() {
    return List.copyOf(roots.values());
  }

  /** The current metadata of a targets role ({@code targets} or a delegated role). */
  public Optional<Metadata<Targets>> targets(String role) {
    return Optional.ofNullable(targets.get(role));
  }

  /** Names of all targets roles, top-level first. */
  public List<String> targetsRoles() {
    return List.copyOf(targets.keySet());
  }

  public Optional<Metadata<Snapshot>> snapshot() {
    return snapshot;
  }

  public Optional<Metadata<Timestamp>> timestamp() {
    return timestamp;
  }

  /**
   * Adds root N+1. It must carry a threshold of signatures of root N's root keys and of its own,
   * or clients would refuse it; checking here keeps a bad ceremony from publishing it.
   */
  public void addRoot(Metadata<Root> next) throws TufException {
    Root current = root().signed();
    if (next.signed().version() != current.version() + 1) {
      throw new VersionMismatchException("new root", current.version() + 1, next.signed().version());
    }
    SignatureThreshold.verify(
        next, "root v" + next.signed().version(), "the previous root's root", current.keys(),
        current.role(RoleType.ROOT));
    SignatureThreshold.verify(
        next, "root v" + next.signed().version(), "its own root", next.signed().keys(),
        next.signed().role(RoleType.ROOT));
    putRoot(next);
  }

  /** Signs {@code next} with old and new root keys and adds it (a root rotation). */
  public Metadata<Root> rotateRoot(Root next, List<? extends Signer> signers)
      throws SigningException {
    Metadata<Root> signed = Metadata.of(next).signedBy(signers);
    addRoot(signed);
    return signed;
  }

  /** Sets the metadata of a targets role (the caller verified or signed it). */
  public void putTargets(String role, Metadata<Targets> metadata) {
    targets.put(role, metadata);
  }

  /** Stops listing a delegated role (it must no longer be delegated). */
  public void removeTargets(String role) {
    targets.remove(role);
  }

  /**
   * Signs a new snapshot listing every targets role at its current version, length and sha256,
   * with a version one above the current snapshot's.
   */
  public Metadata<Snapshot> snapshot(Instant expires, List<? extends Signer> signers)
      throws SigningException {
    Map<String, MetaFile> meta = new LinkedHashMap<>();
    for (Map.Entry<String, Metadata<Targets>> e : targets.entrySet()) {
      meta.put(
          e.getKey() + ".json",
          MetaFile.describing(e.getValue().signed().version(), e.getValue().toBytes()));
    }
    long version = snapshot.map(s -> s.signed().version() + 1).orElse(1L);
    Metadata<Snapshot> next =
        Metadata.of(new Snapshot(Signed.SPEC_VERSION, version, expires, meta)).signedBy(signers);
    snapshot = Optional.of(next);
    return next;
  }

  /** Signs a new timestamp naming the current snapshot, one version above the current one. */
  public Metadata<Timestamp> timestamp(Instant expires, List<? extends Signer> signers)
      throws SigningException {
    Metadata<Snapshot> current =
        snapshot.orElseThrow(() -> new IllegalStateException("sign a snapshot before a timestamp"));
    long version = timestamp.map(t -> t.signed().version() + 1).orElse(1L);
    Metadata<Timestamp> next =
        Metadata.of(
                new Timestamp(
                    Signed.SPEC_VERSION,
                    version,
                    expires,
                    MetaFile.describing(current.signed().version(), current.toBytes())))
            .signedBy(signers);
    timestamp = Optional.of(next);
    return next;
  }

  /** Restores snapshot and timestamp read back from storage. */
  public void restore(Optional<Metadata<Snapshot>> snapshot, Optional<Metadata<Timestamp>> timestamp) {
    this.snapshot = snapshot;
    this.timestamp = timestamp;
  }

  /** One metadata file by its consistent-snapshot name, as {@link #files()} would list it. */
  public Optional<byte[]> file(String name) {
    java.util.regex.Matcher root = java.util.regex.Pattern.compile("([1-9][0-9]{0,17})\\.root\\.json").matcher(name);
    if (root.matches()) {
      return Optional.ofNullable(rootFiles.get(Long.parseLong(root.group(1)))).map(byte[]::clone);
    }
    return Optional.ofNullable(files().get(name));
  }

  /**
   * Every metadata file a client may request, by consistent-snapshot file name, as bytes: all
   * roots, the current targets roles, snapshot and timestamp.
   */
  public Map<String, byte[]> files() {
    Map<String, byte[]> out = new LinkedHashMap<>();
    rootFiles.forEach((v, bytes) -> out.put(v + ".root.json", bytes.clone()));
    targets.forEach(
        (role, t) -> out.put(t.signed().version() + "." + Urls.quote(role) + ".json", t.toBytes()));
    snapshot.ifPresent(s -> out.put(s.signed().version() + ".snapshot.json", s.toBytes()));
    timestamp.ifPresent(t -> out.put("timestamp.json", t.toBytes()));
    return out;
  }
}
