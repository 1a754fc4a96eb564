package org.warder.client.plugin;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.warder.client.cli.PublishingRegistry;
import org.warder.client.cli.RegistryFixtureAccess;
import org.warder.client.layout.HostLayout;
import org.warder.client.progress.ConsoleReporter;
import org.warder.client.publish.RegistryClient;
import org.warder.client.repo.Repositories;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.Key;
import org.warder.signing.testing.CliRun;
import org.warder.signing.tuf.Updater;

/**
 * A {@link PublishingRegistry} ready for plugin publishers: one key made with {@code warder key
 * generate --name acme}, delegated the roles {@code plugins-acme} and {@code plugins-ix} with the
 * conventional paths (and {@code plugins-ghost}, delegated but never published), a token for both,
 * and a publisher host that trusts the registry as {@code main}.
 */
final class PublishedPlugins implements AutoCloseable {
  private final PublishingRegistry publishing;
  final RegistryFixtureAccess registry;
  final Map<String, String> env;
  final Path publisherRoot;

  PublishedPlugins(Path tmp) throws Exception {
    publishing = new PublishingRegistry(tmp);
    registry = publishing.registry;
    env = publishing.env;
    publisherRoot = publishing.publisherRoot;
    Key publicKey = publishing.generateKey("acme");
    for (String publisher : List.of("acme", "ix", "ghost")) {
      registry.delegate(
          PluginTargets.role(publisher),
          publicKey,
          PluginTargets.delegatedPaths(publisher).toArray(String[]::new));
    }
    publishing.useToken("acme", "plugins-acme", "plugins-ix");
  }

  /** Makes the host at {@code root} trust the registry as {@code main}. */
  void addRepo(Path root) {
    publishing.addRepo(root);
  }

  /** Runs {@code warder --root root args...} in-process with this fixture's environment. */
  CliRun warder(Path root, String... args) {
    return publishing.warder(root, args);
  }

  /**
   * The catalogue of repository {@code main} as the host at {@code root} sees it (added there if
   * needed).
   */
  PluginCatalog catalog(Path root) throws Exception {
    return catalog(root, new PrintWriter(Writer.nullWriter()));
  }

  /** The same, its warnings (publishers left out) written to {@code warnings}. */
  PluginCatalog catalog(Path root, PrintWriter warnings) throws Exception {
    if (!Files.exists(new HostLayout(root).repoConfig("main"))) {
      addRepo(root);
    }
    Repositories repos = publishing.repositories(root);
    return new PluginCatalog(
        repos.updater(repos.get("main")),
        repos.get("main").targetUrls(),
        new HostLayout(root).repoCache("main"),
        new ConsoleReporter(warnings));
  }

  /** The private half of the key every role here is delegated to. */
  Ed25519SigningKey signingKey() throws Exception {
    return publishing.signingKey("acme");
  }

  /** A registry client with the token publishing uses. */
  RegistryClient client() {
    return new RegistryClient(java.net.URI.create(registry.url()), env.get("WARDER_TOKEN"));
  }

  /** The publisher host's updater of {@code main}. */
  Updater updater() throws Exception {
    return publishing.updater(publisherRoot);
  }

  /** The published version of {@code role}, as a fresh updater sees it. */
  OptionalLong roleVersion(String role) throws Exception {
    return publishing.roleVersion(role);
  }

  @Override
  public void close() throws java.io.IOException {
    publishing.close();
  }
}
