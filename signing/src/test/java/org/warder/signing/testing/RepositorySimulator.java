package org.warder.signing.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.warder.signing.Digests;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.Key;
import org.warder.signing.Signer;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.DelegatedRole;
import org.warder.signing.tuf.Delegations;
import org.warder.signing.tuf.FetchStatusException;
import org.warder.signing.tuf.FetchTooLargeException;
import org.warder.signing.tuf.Fetcher;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.Repository;
import org.warder.signing.tuf.RoleKeys;
import org.warder.signing.tuf.Root;
import org.warder.signing.tuf.Signed;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.Targets;
import org.warder.signing.tuf.TufException;

/**
 * An in-memory TUF repository that is also a {@link Fetcher}: tests change it, sign it, tamper with
 * what it serves, and read the requests the client made. Built on the production {@link
 * Repository}, so the repository side is exercised too. Not thread-safe.
 */
public final class RepositorySimulator implements Fetcher {
  public static final URI METADATA_URL = URI.create("https://repo.test/metadata/");
  public static final URI TARGETS_URL = URI.create("https://repo.test/targets/");

  private final Instant now;
  private final Map<String, List<Ed25519SigningKey>> signers = new HashMap<>();
  private final Map<String, byte[]> blobs = new HashMap<>();
  private final Map<String, byte[]> overrides = new HashMap<>();
  private final List<String> requests = new ArrayList<>();
  private Repository repository;
  private Instant expires;

  /** A repository with one key per top-level role, threshold 1, and empty targets. */
  public RepositorySimulator(Instant now) throws SigningException {
    this.now = now;
    this.expires = now.plus(Duration.ofDays(30));
    for (String role : List.of("root", "targets", "snapshot", "timestamp")) {
      signers.put(role, new ArrayList<>(List.of(Ed25519SigningKey.generate())));
    }
    Map<String, Key> keys = new LinkedHashMap<>();
    Map<String, RoleKeys> roles = new LinkedHashMap<>();
    for (Map.Entry<String, List<Ed25519SigningKey>> e : signers.entrySet()) {
      List<String> ids = new ArrayList<>();
      for (Ed25519SigningKey k : e.getValue()) {
        keys.put(k.keyId(), k.publicKey());
        ids.add(k.keyId());
      }
      roles.put(e.getKey(), new RoleKeys(ids, 1));
    }
    Root root = new Root(Signed.SPEC_VERSION, 1, expires, true, keys, roles);
    repository = Repository.start(Metadata.of(root).signedBy(signers.get("root")));
    repository.putTargets(
        "targets",
        Metadata.of(new Targets(Signed.SPEC_VERSION, 1, expires, Map.of(), Optional.empty()))
            .signedBy(signers.get("targets")));
    publish();
  }

  public Instant now() {
    return now;
  }

  /** The production repository model behind this simulator. */
  public Repository repository() {
    return repository;
  }

  /** The signing keys of a role (top-level or delegated); tests may replace them. */
  public List<Ed25519SigningKey> signers(String role) {
    return signers.computeIfAbsent(role, r -> new ArrayList<>());
  }

  /** Expiry used for metadata signed from now on. */
  public void expiresAt(Instant instant) {
    this.expires = instant;
  }

  public Instant expires() {
    return expires;
  }

  /** The bytes of root version {@code version}. */
  public byte[] rootBytes(long version) {
    return repository.roots().get((int) version - 1).toBytes();
  }

  public Root root() {
    return repository.root().signed();
  }

  /**
   * Publishes root N+1 made by {@code change} from root N (version and expiry are set here), signed
   * by {@code signWith}.
   */
  public Metadata<Root> rotateRoot(UnaryOperator<Root> change, List<? extends Signer> signWith)
      throws SigningException {
    Root current = root();
    Root changed = change.apply(current);
    Root next =
        new Root(
            changed.specVersion(),
            current.version() + 1,
            expires,
            changed.consistentSnapshot(),
            changed.keys(),
            changed.roles());
    Metadata<Root> signed = Metadata.of(next).signedBy(signWith);
    overrides.remove(next.version() + ".root.json");
    try {
      repository.addRoot(signed);
    } catch (TufException e) {
      // a deliberately bad root: serve it without adding it to the model
      overrides.put(next.version() + ".root.json", signed.toBytes());
    }
    return signed;
  }

  /** A root with {@code role}'s keys replaced by {@code keys} and {@code threshold}. */
  public static Root withRoleKeys(
      Root root, String role, List<? extends Signer> keys, int threshold) {
    Map<String, Key> allKeys = new LinkedHashMap<>(root.keys());
    Map<String, RoleKeys> roles = new LinkedHashMap<>(root.roles());
    List<String> ids = new ArrayList<>();
    for (Signer k : keys) {
      allKeys.put(k.keyId(), k.publicKey());
      ids.add(k.keyId());
    }
    roles.put(role, new RoleKeys(ids, threshold));
    return new Root(
        root.specVersion(),
        root.version(),
        root.expires(),
        root.consistentSnapshot(),
        allKeys,
        roles);
  }

  public Targets targets(String role) {
    return repository.targets(role).orElseThrow().signed();
  }

  /** Re-signs {@code role}'s targets after {@code change}, one version up. */
  public void updateTargets(String role, UnaryOperator<Targets> change) throws SigningException {
    Targets current = targets(role);
    Targets changed = change.apply(current);
    Targets next =
        new Targets(
            changed.specVersion(),
            current.version() + 1,
            expires,
            changed.targets(),
            changed.delegations());
    repository.putTargets(role, Metadata.of(next).signedBy(signers(role)));
  }

  /** Adds a target file with content to {@code role} (one version up) and serves its bytes. */
  public TargetFile addTarget(String role, String path, byte[] content) throws SigningException {
    TargetFile file = TargetFile.of(path, content.length, Digests.sha256Hex(content));
    blobs.put(path, content);
    updateTargets(
        role,
        t -> {
          Map<String, TargetFile> files = new LinkedHashMap<>(t.targets());
          files.put(path, file);
          return new Targets(t.specVersion(), t.version(), t.expires(), files, t.delegations());
        });
    return file;
  }

  /** Adds (or replaces) a target description without content checks (hostile metadata). */
  public void putTargetFile(String role, TargetFile file, byte[] served) throws SigningException {
    blobs.put(file.path(), served);
    updateTargets(
        role,
        t -> {
          Map<String, TargetFile> files = new LinkedHashMap<>(t.targets());
          files.put(file.path(), file);
          return new Targets(t.specVersion(), t.version(), t.expires(), files, t.delegations());
        });
  }

  /**
   * Makes {@code delegator} delegate to a new role {@code role} (appended in order) with fresh
   * keys, and creates the role's empty metadata.
   */
  public void delegate(String delegator, DelegatedRole role) throws SigningException {
    List<Ed25519SigningKey> keys = signers(role.name());
    if (keys.isEmpty()) {
      keys.add(Ed25519SigningKey.generate());
    }
    DelegatedRole withKeys =
        new DelegatedRole(
            role.name(),
            keys.stream().map(Signer::keyId).toList(),
            role.threshold(),
            role.terminating(),
            role.paths(),
            role.pathHashPrefixes());
    updateTargets(
        delegator,
        t -> {
          Map<String, Key> dkeys =
              new LinkedHashMap<>(t.delegations().map(Delegations::keys).orElse(Map.of()));
          keys.forEach(k -> dkeys.put(k.keyId(), k.publicKey()));
          List<DelegatedRole> roles =
              new ArrayList<>(t.delegations().map(Delegations::roles).orElse(List.of()));
          roles.removeIf(r -> r.name().equals(role.name()));
          roles.add(withKeys);
          return new Targets(
              t.specVersion(),
              t.version(),
              t.expires(),
              t.targets(),
              Optional.of(new Delegations(dkeys, roles)));
        });
    if (repository.targets(role.name()).isEmpty()) {
      repository.putTargets(
          role.name(),
          Metadata.of(new Targets(Signed.SPEC_VERSION, 1, expires, Map.of(), Optional.empty()))
              .signedBy(keys));
    }
  }

  /** Signs a new snapshot and timestamp over the current targets roles. */
  public void publish() throws SigningException {
    repository.snapshot(expires, signers("snapshot"));
    repository.timestamp(expires, signers("timestamp"));
  }

  /** Signs only a new timestamp. */
  public void publishTimestamp() throws SigningException {
    repository.timestamp(expires, signers("timestamp"));
  }

  /**
   * Writes the repository as static files: {@code metadata/<consistent-snapshot names>} and {@code
   * targets/<dir>/<sha256>.<name>}, as a web server would serve them.
   */
  public void writeTo(Path dir) throws IOException {
    Path metadata = dir.resolve("metadata");
    Files.createDirectories(metadata);
    for (Map.Entry<String, byte[]> e : repository.files().entrySet()) {
      Files.write(metadata.resolve(e.getKey()), e.getValue());
    }
    for (Map.Entry<String, byte[]> e : overrides.entrySet()) {
      if (!e.getKey().startsWith("targets/")) {
        Path file = metadata.resolve(e.getKey());
        if (e.getValue() == null) {
          Files.deleteIfExists(file);
        } else {
          Files.write(file, e.getValue());
        }
      }
    }
    for (Map.Entry<String, byte[]> e : blobs.entrySet()) {
      String path = e.getKey();
      int slash = path.lastIndexOf('/');
      Path target =
          dir.resolve("targets")
              .resolve(
                  path.substring(0, slash + 1)
                      + Digests.sha256Hex(e.getValue())
                      + "."
                      + path.substring(slash + 1));
      Files.createDirectories(target.getParent());
      Files.write(target, e.getValue());
    }
  }

  /**
   * Serves {@code bytes} for a metadata file name or {@code targets/<path>} instead of the real
   * one.
   */
  public void serve(String name, byte[] bytes) {
    overrides.put(name, bytes);
  }

  /** Answers 404 for a file. */
  public void remove(String name) {
    overrides.put(name, null);
  }

  /** File names requested so far (metadata file names; targets as {@code targets/<url path>}). */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  public void clearRequests() {
    requests.clear();
  }

  @Override
  public void fetch(URI url, long maxLength, OutputStream sink) throws IOException {
    String u = url.toString();
    String name;
    byte[] body;
    if (u.startsWith(METADATA_URL.toString())) {
      name = u.substring(METADATA_URL.toString().length());
      body = repository.file(name).orElse(null);
    } else if (u.startsWith(TARGETS_URL.toString())) {
      String path = u.substring(TARGETS_URL.toString().length());
      name = "targets/" + path;
      body = blobFor(path);
    } else {
      throw new FetchStatusException(url, 404);
    }
    requests.add(name);
    if (overrides.containsKey(name)) {
      body = overrides.get(name);
    }
    if (body == null) {
      throw new FetchStatusException(url, 404);
    }
    if (body.length > maxLength) {
      sink.write(body, 0, (int) Math.min(body.length, maxLength));
      throw new FetchTooLargeException(url, maxLength);
    }
    sink.write(body);
  }

  /** The blob of a target URL path {@code dir/HASH.name}; the hash prefix is not checked. */
  private byte[] blobFor(String urlPath) {
    int slash = urlPath.lastIndexOf('/');
    String file = urlPath.substring(slash + 1);
    int dot = file.indexOf('.');
    if (dot < 0) {
      return null;
    }
    String path = urlPath.substring(0, slash + 1) + file.substring(dot + 1);
    return blobs.get(java.net.URLDecoder.decode(path, java.nio.charset.StandardCharsets.UTF_8));
  }
}
