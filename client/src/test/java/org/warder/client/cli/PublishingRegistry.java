package org.warder.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.warder.client.fetch.HttpSettings;
import org.warder.client.fetch.OkHttpFetcher;
import org.warder.client.keys.PublisherKeys;
import org.warder.client.layout.HostLayout;
import org.warder.client.repo.Repositories;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.Key;
import org.warder.signing.KeyFiles;
import org.warder.signing.PrivateFiles;
import org.warder.signing.testing.CliRun;
import org.warder.signing.tuf.PublicKeyFiles;
import org.warder.signing.tuf.Updater;

/**
 * A registry in-process over real HTTP ({@link RegistryFixtureAccess}, data under {@code
 * <tmp>/registry}) and a publisher's side of it: the environment warder runs with (keys under
 * {@code <tmp>/keys}, one passphrase file, {@code CI}, the token {@link #useToken} sets) and a
 * publisher host at {@code <tmp>/publisher} that trusts the registry as {@code main}. Which roles
 * are delegated, and to which keys, is the test's choice. Not thread-safe.
 */
public final class PublishingRegistry implements AutoCloseable {
  private static final String PASSPHRASE = "publisher passphrase";
  public final RegistryFixtureAccess registry;

  /** The environment of {@link #warder}: tests may add to it. */
  public final Map<String, String> env = new HashMap<>();

  public final Path publisherRoot;
  private final Path keys;

  public PublishingRegistry(Path tmp) throws Exception {
    registry = new RegistryFixtureAccess(tmp.resolve("registry"));
    Path pass = tmp.resolve("pass");
    PrivateFiles.writeString(pass, PASSPHRASE + "\n");
    keys = tmp.resolve("keys");
    env.put("WARDER_KEYS", keys.toString());
    env.put("WARDER_PASSPHRASE_FILE", pass.toString());
    env.put("CI", "true");
    publisherRoot = tmp.resolve("publisher");
    addRepo(publisherRoot);
  }

  /**
   * A new publisher key {@code name} in the fixture's key directory, the files {@code warder key
   * generate --name name} writes, but encrypted at scrypt N=2^14 instead of its N=2^17: every
   * publish decrypts the key, and at N=2^17 that is 0.4 s each time (the command itself, at its own
   * cost, is tested on its own). Returns the public half.
   */
  public Key generateKey(String name) throws Exception {
    PrivateFiles.createDirectories(keys);
    Ed25519SigningKey key = Ed25519SigningKey.generate();
    KeyFiles.write(
        key,
        keys.resolve(name + ".pem"),
        PASSPHRASE.toCharArray(),
        KeyFiles.Cost.GENERATED_PASSPHRASE);
    PublicKeyFiles.write(key.publicKey(), keys.resolve(name + ".pub.json"));
    return key.publicKey();
  }

  /** The private key {@link #generateKey} made as {@code name}, read back with the passphrase. */
  public Ed25519SigningKey signingKey(String name) throws Exception {
    return new PublisherKeys(keys).load(name, PASSPHRASE.toCharArray());
  }

  /** Makes {@link #warder} publish with a new token of {@code publisher} for {@code roles}. */
  public void useToken(String publisher, String... roles) throws Exception {
    env.put("WARDER_TOKEN", registry.token(publisher, roles));
  }

  /** Makes the host at {@code root} trust the registry as {@code main}. */
  public void addRepo(Path root) {
    CliRun add =
        warder(root, "repo", "add", "main", registry.url(), "--root-sha256", registry.rootSha256());
    assertThat(add.exitCode()).as(add.err()).isZero();
  }

  /** Runs {@code warder --root root args...} in-process with this fixture's environment. */
  public CliRun warder(Path root, String... args) {
    List<String> all = new ArrayList<>(List.of("--root", root.toString()));
    all.addAll(List.of(args));
    return CliRun.of((out, err, a) -> WarderMain.run(out, err, env, a), all.toArray(String[]::new));
  }

  /** The repositories of the host at {@code root}, as warder itself opens them. */
  public Repositories repositories(Path root) {
    return new Repositories(
        new HostLayout(root),
        new OkHttpFetcher(HttpSettings.defaults(), "warder-test"),
        Clock.systemUTC());
  }

  /** A fresh TUF updater of repository {@code main} on the host at {@code root}. */
  public Updater updater(Path root) throws Exception {
    Repositories repos = repositories(root);
    return repos.updater(repos.get("main"));
  }

  /** The published version of {@code role}, as a fresh updater of the publisher host sees it. */
  public OptionalLong roleVersion(String role) throws Exception {
    return updater(publisherRoot)
        .roleMetadata(role)
        .map(m -> OptionalLong.of(m.signed().version()))
        .orElse(OptionalLong.empty());
  }

  @Override
  public void close() throws java.io.IOException {
    registry.close();
  }
}
