package org.warder.signing.tuf;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.warder.signing.Key;
import org.warder.signing.Signer;
import org.warder.signing.SigningException;

/**
 * The repository side of TUF, in memory: the current metadata of every role, and the operations
 * that change it: root rotation (signed by old and new root thresholds), new targets metadata, and
 * the snapshot and timestamp that must follow every change. Files are named for consistent
 * snapshots ({@code N.root.json}, {@code N.<role>.json}, {@code timestamp.json}). It also judges
 * delegated metadata that publishers submit ({@link #checkDelegated}) by the rules a client
 * applies. Not thread-safe; callers serialise changes.
 */
public final class Repository {
  /** Delegation chains longer than this are not followed (python-tuf visits at most 32 roles). */
  public static final int MAX_CHAIN_LENGTH = 32;

  private static final int MAX_CHAINS = 64;
  private static final Map<String, Pattern> HEX_DIGESTS =
      Map.of(
          "sha256", Pattern.compile("[0-9a-fA-F]{64}"),
          "sha384", Pattern.compile("[0-9a-fA-F]{96}"),
          "sha512", Pattern.compile("[0-9a-fA-F]{128}"));

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
   * A repository starting from {@code root}, which must already be signed by a threshold of its own
   * root keys.
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

  public Optional<Metadata<Snapshot>> snapshot() {
    return snapshot;
  }

  public Optional<Metadata<Timestamp>> timestamp() {
    return timestamp;
  }

  /**
   * Adds root N+1. It must carry a threshold of signatures of root N's root keys and of its own, or
   * clients would refuse it; checking here keeps a bad ceremony from publishing it.
   */
  public void addRoot(Metadata<Root> next) throws TufException {
    Root current = root().signed();
    if (next.signed().version() != current.version() + 1) {
      throw new VersionMismatchException(
          "new root", current.version() + 1, next.signed().version());
    }
    SignatureThreshold.verify(
        next,
        "root v" + next.signed().version(),
        "the previous root's root",
        current.keys(),
        current.role(RoleType.ROOT));
    SignatureThreshold.verify(
        next,
        "root v" + next.signed().version(),
        "its own root",
        next.signed().keys(),
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
   * Signs a new snapshot listing every targets role at its current version, length and sha256, with
   * a version one above the current snapshot's.
   */
  public Metadata<Snapshot> snapshot(Instant expires, List<? extends Signer> signers)
      throws SigningException {
    return snapshot(snapshot.map(s -> s.signed().version() + 1).orElse(1L), expires, signers);
  }

  /**
   * Signs a new snapshot as {@link #snapshot(Instant, List)} does, with {@code version}, which must
   * be above the current snapshot's (a writer skips versions some other file already took).
   */
  public Metadata<Snapshot> snapshot(long version, Instant expires, List<? extends Signer> signers)
      throws SigningException {
    long current = snapshot.map(s -> s.signed().version()).orElse(0L);
    if (version <= current) {
      throw new IllegalArgumentException(
          "expected a snapshot version above " + current + ", found " + version);
    }
    Map<String, MetaFile> meta = new LinkedHashMap<>();
    for (Map.Entry<String, Metadata<Targets>> e : targets.entrySet()) {
      meta.put(
          e.getKey() + ".json",
          MetaFile.describing(e.getValue().signed().version(), e.getValue().toBytes()));
    }
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

  /** Whether {@code role} is the name of a top-level role (root, targets, snapshot, timestamp). */
  public static boolean isTopLevel(String role) {
    for (RoleType t : RoleType.values()) {
      if (t.value().equals(role)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Checks that top-level targets metadata carries a threshold of valid signatures from the keys
   * the newest root names for {@code targets}, as clients will require.
   */
  public void checkTargetsSigned(Metadata<Targets> metadata) throws TufException {
    Root r = root().signed();
    SignatureThreshold.verify(
        metadata, "targets", "root's targets", r.keys(), r.role(RoleType.TARGETS));
  }

  /**
   * One link of a delegation chain: {@code delegator} delegates {@code role} to keys from {@code
   * keys}.
   */
  public record DelegationLink(String delegator, Map<String, Key> keys, DelegatedRole role) {
    public DelegationLink {
      keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }
  }

  /**
   * Every chain of delegations from the top-level targets role down to {@code role}, each listed
   * from the top, in the order a client's pre-order depth-first search meets them. Only roles whose
   * metadata this repository holds delegate further; cycles are not followed, chains are at most
   * {@link #MAX_CHAIN_LENGTH} links long.
   */
  public List<List<DelegationLink>> delegationChains(String role) {
    List<List<DelegationLink>> out = new ArrayList<>();
    Set<String> onPath = new HashSet<>();
    onPath.add(RoleType.TARGETS.value());
    walk(RoleType.TARGETS.value(), role, new ArrayDeque<>(), onPath, out);
    return out;
  }

  private void walk(
      String delegator,
      String wanted,
      Deque<DelegationLink> path,
      Set<String> onPath,
      List<List<DelegationLink>> out) {
    Metadata<Targets> metadata = targets.get(delegator);
    if (metadata == null
        || metadata.signed().delegations().isEmpty()
        || path.size() >= MAX_CHAIN_LENGTH) {
      return;
    }
    Delegations delegations = metadata.signed().delegations().get();
    for (DelegatedRole child : delegations.roles()) {
      if (out.size() >= MAX_CHAINS) {
        return;
      }
      DelegationLink link = new DelegationLink(delegator, delegations.keys(), child);
      if (child.name().equals(wanted)) {
        List<DelegationLink> chain = new ArrayList<>(path);
        chain.add(link);
        out.add(List.copyOf(chain));
      } else if (onPath.add(child.name())) {
        path.addLast(link);
        walk(child.name(), wanted, path, onPath, out);
        path.removeLast();
        onPath.remove(child.name());
      }
    }
  }

  /**
   * Judges metadata a publisher submits for the delegated role {@code role}, as a client would and
   * more strictly: some delegation chain from the top-level targets role must reach the role; the
   * metadata must carry a threshold of valid signatures from the keys the last delegation of that
   * chain names; every target path must be a safe relative path inside the delegated paths of every
   * delegation on the chain, with only known hash algorithms; the version must be greater than the
   * role's current one (any positive version for a role not yet published); and it must not be
   * expired at {@code now}. Changes nothing.
   *
   * @throws RoleNotDelegatedException no chain reaches {@code role}, or it is a top-level role
   * @throws UnsignedMetadataException no chain's delegation is satisfied by the signatures
   * @throws PathNotDelegatedException a target lies outside a chain's delegated paths
   * @throws UnsafeNameException a target path could escape a directory or URL
   * @throws UnsupportedHashException a target lists no hash, or an unknown algorithm
   * @throws MetadataFormatException a target hash is not hex of its algorithm's length
   * @throws VersionNotIncreasedException the version does not grow
   * @throws ExpiredMetadataException the metadata is expired at {@code now}
   */
  public void checkDelegated(String role, Metadata<Targets> submitted, Instant now)
      throws TufException {
    if (isTopLevel(role)) {
      throw new RoleNotDelegatedException(
          role, "it is a top-level role, signed offline by the repository owner, never submitted");
    }
    List<List<DelegationLink>> chains = delegationChains(role);
    if (chains.isEmpty()) {
      throw new RoleNotDelegatedException(
          role,
          "neither targets nor any role it delegates to names it; ask the registry owner to"
              + " delegate it (warder-registry delegate "
              + role
              + " ...)");
    }
    for (TargetFile target : submitted.signed().targets().values()) {
      checkTargetFile(role, target);
    }
    TufException refusal = null;
    int furthest = -1;
    boolean accepted = false;
    for (List<DelegationLink> chain : chains) {
      DelegationLink last = chain.get(chain.size() - 1);
      try {
        SignatureThreshold.verify(
            submitted,
            role,
            last.delegator() + "'s delegated " + role,
            last.keys(),
            last.role().roleKeys());
      } catch (UnsignedMetadataException e) {
        if (furthest < 0) {
          refusal = e;
          furthest = 0;
        }
        continue;
      }
      try {
        checkPaths(role, submitted.signed(), chain);
      } catch (PathNotDelegatedException e) {
        if (furthest < 1) {
          refusal = e;
          furthest = 1;
        }
        continue;
      }
      accepted = true;
      break;
    }
    if (!accepted) {
      throw refusal;
    }
    Optional<Metadata<Targets>> current = targets(role);
    long version = submitted.signed().version();
    if (current.isPresent() && version <= current.get().signed().version()) {
      throw new VersionNotIncreasedException(role, current.get().signed().version(), version);
    }
    if (submitted.signed().isExpired(now)) {
      throw ExpiredMetadataException.submitted(
          role + " v" + version, submitted.signed().expires(), now);
    }
  }

  private static void checkTargetFile(String role, TargetFile target) throws TufException {
    String path = target.path();
    if (path.isEmpty()
        || path.startsWith("/")
        || path.indexOf('\0') >= 0
        || path.indexOf('\\') >= 0) {
      throw new UnsafeNameException(
          "target", path, "expected a relative path without NUL or backslash");
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new UnsafeNameException("target", path, "it has an empty, '.' or '..' segment");
      }
    }
    String what = role + " target " + path;
    LengthAndHashes.digests(what, target.hashes());
    for (Map.Entry<String, String> h : target.hashes().entrySet()) {
      if (!HEX_DIGESTS.get(h.getKey().toLowerCase(Locale.ROOT)).matcher(h.getValue()).matches()) {
        throw new MetadataFormatException(
            what
                + ": expected the "
                + h.getKey()
                + " hash as hex digits of its full length, found \""
                + h.getValue()
                + "\"");
      }
    }
  }

  private static void checkPaths(String role, Targets submitted, List<DelegationLink> chain)
      throws PathNotDelegatedException {
    for (String path : submitted.targets().keySet()) {
      for (DelegationLink link : chain) {
        DelegatedRole delegated = link.role();
        if (!delegated.isDelegatedPath(path)) {
          List<String> patterns =
              delegated.paths().or(delegated::pathHashPrefixes).orElse(List.of());
          throw new PathNotDelegatedException(
              role, path, link.delegator(), delegated.name(), patterns);
        }
      }
    }
  }

  /** Restores snapshot and timestamp read back from storage. */
  public void restore(
      Optional<Metadata<Snapshot>> snapshot, Optional<Metadata<Timestamp>> timestamp) {
    this.snapshot = snapshot;
    this.timestamp = timestamp;
  }

  /** One metadata file by its consistent-snapshot name, as {@link #files()} would list it. */
  public Optional<byte[]> file(String name) {
    java.util.regex.Matcher root =
        java.util.regex.Pattern.compile("([1-9][0-9]{0,17})\\.root\\.json").matcher(name);
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
