package org.warder.signing.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.warder.signing.Digests;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.Key;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.DelegatedRole;
import org.warder.signing.tuf.Delegations;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.Repository;
import org.warder.signing.tuf.RoleKeys;
import org.warder.signing.tuf.Root;
import org.warder.signing.tuf.Signed;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.Targets;

/**
 * The TUF repositories {@code bench/tuf-client.sh} runs clients against, signed by the production
 * {@link Repository} and {@link Metadata} code: consistent snapshots, one Ed25519 key per role, and
 * 50 delegated roles. The top-level targets role delegates {@code shallow/*} to {@code shallow},
 * {@code deep/*} to {@code chain-01}, which delegates it to {@code chain-02}, and so on to {@code
 * chain-30}, and {@code fan-NN/*} to each of {@code fan-01} to {@code fan-19}. The targets are
 * spread evenly over the 51 targets roles, each file stored under its consistent-snapshot name
 * ({@code <sha256>.<name>}). A target in {@code shallow} is found in the first delegated role
 * searched; one in {@code chain-30} only after 30 delegated roles.
 *
 * <p>Writes into {@code OUT}: {@code root.json} (the root to trust), {@code base/metadata} and
 * {@code base/targets} (the repository), {@code changed/metadata} (the same plus a new version of
 * the top-level targets role with one more target, and the snapshot and timestamp that follow; its
 * targets are those of {@code base}, where the new target's file is stored too) and {@code
 * names.txt} ({@code shallow}, {@code deep} and {@code new}, each with a target path).
 *
 * <p>Usage: {@code java -cp signing/target/test-classes:client/target/warder.jar
 * org.warder.signing.testing.TufBenchRepository OUT TARGETS}
 */
public final class TufBenchRepository {
  /** Delegated roles in the chain under {@code deep/*}. */
  public static final int CHAIN = 30;

  /** Delegated roles fanned out from the top-level targets role besides the chain and shallow. */
  public static final int FAN = 19;

  private static final String TARGETS = "targets";
  private final Path out;
  private final Instant expires;
  private final Map<String, Ed25519SigningKey> keys = new LinkedHashMap<>();
  private final Map<String, Map<String, TargetFile>> files = new LinkedHashMap<>();
  private final Map<String, List<DelegatedRole>> delegations = new LinkedHashMap<>();

  private TufBenchRepository(Path out, Instant now) {
    this.out = out;
    this.expires = now.plus(Duration.ofDays(365)).truncatedTo(ChronoUnit.SECONDS);
  }

  public static void main(String[] args) throws IOException, SigningException {
    if (args.length != 2) {
      System.err.println("usage: TufBenchRepository OUT TARGETS");
      System.exit(2);
    }
    int count = Integer.parseInt(args[1]);
    if (count < 51) {
      throw new IllegalArgumentException(
          "expected at least 51 targets (one per targets role), found " + count);
    }
    new TufBenchRepository(Path.of(args[0]), Instant.now()).write(count);
  }

  private void write(int count) throws IOException, SigningException {
    List<String> roles = new ArrayList<>();
    roles.add(TARGETS);
    roles.add("shallow");
    for (int i = 1; i <= CHAIN; i++) {
      roles.add(chain(i));
    }
    for (int i = 1; i <= FAN; i++) {
      roles.add(String.format(Locale.ROOT, "fan-%02d", i));
    }
    for (String role : roles) {
      keys.put(role, Ed25519SigningKey.generate());
      files.put(role, new LinkedHashMap<>());
      delegations.put(role, new ArrayList<>());
    }
    delegate(TARGETS, "shallow", "shallow/*");
    delegate(TARGETS, chain(1), "deep/*");
    for (int i = 1; i < CHAIN; i++) {
      delegate(chain(i), chain(i + 1), "deep/*");
    }
    for (int i = 1; i <= FAN; i++) {
      String fan = String.format(Locale.ROOT, "fan-%02d", i);
      delegate(TARGETS, fan, fan + "/*");
    }
    Path base = out.resolve("base");
    for (int i = 0; i < count; i++) {
      String role = roles.get(i % roles.size());
      String dir =
          switch (role) {
            case TARGETS -> "top";
            case "shallow" -> "shallow";
            default -> role.startsWith("chain-") ? "deep" : role;
          };
      addTarget(base, role, String.format(Locale.ROOT, "%s/%07d.txt", dir, i));
    }

    Repository repository = Repository.start(signedRoot());
    for (String role : roles) {
      repository.putTargets(role, signedTargets(role, 1));
    }
    sign(repository);
    writeMetadata(repository, base.resolve("metadata"));
    Files.write(out.resolve("root.json"), repository.root().toBytes());
    String shallow = files.get("shallow").keySet().iterator().next();
    String deep = files.get(chain(CHAIN)).keySet().iterator().next();

    String added = addTarget(base, TARGETS, "top/new.txt");
    repository.putTargets(TARGETS, signedTargets(TARGETS, 2));
    sign(repository);
    Path changed = out.resolve("changed/metadata");
    TestFiles.copyTree(base.resolve("metadata"), changed);
    writeMetadata(repository, changed);
    Files.writeString(
        out.resolve("names.txt"),
        "shallow " + shallow + "\ndeep " + deep + "\nnew " + added + "\n",
        StandardCharsets.UTF_8);
  }

  private static String chain(int i) {
    return String.format(Locale.ROOT, "chain-%02d", i);
  }

  private void delegate(String delegator, String role, String pattern) {
    delegations
        .get(delegator)
        .add(
            DelegatedRole.withPaths(
                role, List.of(keys.get(role).keyId()), 1, false, List.of(pattern)));
  }

  /** Stores a target's file under its consistent-snapshot name and lists it in {@code role}. */
  private String addTarget(Path base, String role, String path) throws IOException {
    byte[] content = ("warder bench target " + path + "\n").getBytes(StandardCharsets.UTF_8);
    String sha256 = Digests.sha256Hex(content);
    int slash = path.lastIndexOf('/');
    Path file =
        base.resolve("targets")
            .resolve(path.substring(0, slash))
            .resolve(sha256 + "." + path.substring(slash + 1));
    Files.createDirectories(file.getParent());
    Files.write(file, content);
    files.get(role).put(path, TargetFile.of(path, content.length, sha256));
    return path;
  }

  private Metadata<Root> signedRoot() throws SigningException {
    Map<String, Key> rootKeys = new LinkedHashMap<>();
    Map<String, RoleKeys> roles = new LinkedHashMap<>();
    for (String role : List.of("root", TARGETS, "snapshot", "timestamp")) {
      Ed25519SigningKey key = keys.computeIfAbsent(role, r -> Ed25519SigningKey.generate());
      rootKeys.put(key.keyId(), key.publicKey());
      roles.put(role, new RoleKeys(List.of(key.keyId()), 1));
    }
    return Metadata.of(new Root(Signed.SPEC_VERSION, 1, expires, true, rootKeys, roles))
        .signedBy(List.of(keys.get("root")));
  }

  private Metadata<Targets> signedTargets(String role, long version) throws SigningException {
    List<DelegatedRole> children = delegations.get(role);
    Optional<Delegations> delegated = Optional.empty();
    if (!children.isEmpty()) {
      Map<String, Key> childKeys = new LinkedHashMap<>();
      for (DelegatedRole child : children) {
        Ed25519SigningKey key = keys.get(child.name());
        childKeys.put(key.keyId(), key.publicKey());
      }
      delegated = Optional.of(new Delegations(childKeys, children));
    }
    Targets targets =
        new Targets(Signed.SPEC_VERSION, version, expires, files.get(role), delegated);
    return Metadata.of(targets).signedBy(List.of(keys.get(role)));
  }

  private void sign(Repository repository) throws SigningException {
    repository.snapshot(expires, List.of(keys.get("snapshot")));
    repository.timestamp(expires, List.of(keys.get("timestamp")));
  }

  private static void writeMetadata(Repository repository, Path dir) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> file : repository.files().entrySet()) {
      Files.write(dir.resolve(file.getKey()), file.getValue());
    }
  }
}
