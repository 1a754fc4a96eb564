package org.warder.client.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.warder.client.cli.RegistryFixtureAccess;
import org.warder.client.cli.WarderMain;
import org.warder.client.fetch.HttpSettings;
import org.warder.client.fetch.OkHttpFetcher;
import org.warder.client.layout.HostLayout;
import org.warder.client.repo.Repositories;
import org.warder.signing.testing.CliRun;
import org.warder.signing.tuf.Key;
import org.warder.signing.tuf.PublicKeyFiles;
import org.warder.signing.tuf.Updater;

/**
 * A registry in-process over real HTTP, ready for plugin publishers: one key made with {@code
 * warder key generate --name acme}, delegated the roles {@code plugins-acme} and {@code plugins-ix}
 * with the conventional paths (and {@code plugins-ghost}, delegated but never published), a token
 * for both, and a publisher host that trusts the registry as {@code main}.
 */
final class PublishedPlugins implements AutoCloseable {
  final RegistryFixtureAccess registry;
  final Map<String, String> env = new HashMap<>();
  final Path publisherRoot;

  PublishedPlugins(Path tmp) throws Exception {
    registry = new RegistryFixtureAccess(tmp.resolve("registry"));
    Path pass = tmp.resolve("pass");
    Files.writeString(pass, "publisher passphrase\n");
    env.put("WARDER_KEYS", tmp.resolve("keys").toString());
    env.put("WARDER_PASSPHRASE_FILE", pass.toString());
    env.put("CI", "true");
    publisherRoot = tmp.resolve("publisher");
    CliRun key = warder(publisherRoot, "key", "generate", "--name", "acme");
    assertThat(key.exitCode()).as(key.err()).isZero();
    Key publicKey = PublicKeyFiles.read(tmp.resolve("keys/acme.pub.json"));
    for (String publisher : List.of("acme", "ix", "ghost")) {
      registry.delegate(PluginTargets.role(publisher), publicKey,
          PluginTargets.delegatedPaths(publisher).toArray(String[]::new));
    }
    env.put("WARDER_TOKEN", registry.token("acme", "plugins-acme", "plugins-ix"));
    addRepo(publisherRoot);
  }

  /** Makes the host at {@code root} trust the registry as {@code main}. */
  void addRepo(Path root) {
    CliRun add = warder(root, "repo", "add", "main", registry.url(), "--root-sha256", registry.rootSha256());
    assertThat(add.exitCode()).as(add.err()).isZero();
  }

  /** Runs {@code warder --root root args...} in-process with this fixture's environment. */
  CliRun warder(Path root, String... args) {
    List<String> all = new ArrayList<>(List.of("--root", root.toString()));
    all.addAll(List.of(args));
    return CliRun.of((out, err, a) -> WarderMain.run(out, err, env, a), all.toArray(String[]::new));
  }

  /** A fresh TUF updater of repository {@code main} on the host at {@code root}. */
  Updater updater(Path root) throws Exception {
    Repositories repos = new Repositories(new HostLayout(root), new OkHttpFetcher(HttpSettings.defaults(), "warder-test"),
        Clock.systemUTC());
    return repos.updater(repos.get("main"));
  }

  /** The catalogue of repository {@code main} as the host at {@code root} sees it (added there if needed). */
  PluginCatalog catalog(Path root) throws Exception {
    if (!Files.exists(new HostLayout(root).repoConfig("main"))) {
      addRepo(root);
    }
    Repositories repos = new Repositories(new HostLayout(root), new OkHttpFetcher(HttpSettings.defaults(), "warder-test"),
        Clock.systemUTC());
    return new PluginCatalog(repos.updater(repos.get("main")), repos.get("main").targetUrls(),
        new HostLayout(root).repoCache("main"));
  }

  /** The published version of {@code role}, as a fresh updater sees it. */
  OptionalLong roleVersion(String role) throws Exception {
    return updater(publisherRoot).roleMetadata(role).map(m -> OptionalLong.of(m.signed().version()))
        .orElse(OptionalLong.empty());
  }

  @Override
  public void close() throws java.io.IOException {
    registry.close();
  }
}
