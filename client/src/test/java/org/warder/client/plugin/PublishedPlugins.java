package org.warder.client.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.warder.client.ClientException;
import org.warder.client.cli.PublishingRegistry;
import org.warder.client.cli.RegistryFixtureAccess;
import org.warder.client.layout.HostLayout;
import org.warder.client.progress.ConsoleReporter;
import org.warder.client.publish.RegistryClient;
import org.warder.client.release.SyntheticRelease;
import org.warder.client.repo.Repositories;
import org.warder.client.team.TeamTargets;
import org.warder.client.testing.RealPkg;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.Key;
import org.warder.signing.testing.CliRun;
import org.warder.signing.tuf.PublicKeyFiles;
import org.warder.signing.tuf.TufException;
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

  /**
   * Publishes {@code release} for amd64: a busybox base whose {@code pkg} is the demo release's
   * stand-in ({@code demo/release/usr/sbin/pkg} of the project), which accepts any package site of
   * its own simple format; only for tests that need that (see their comments).
   */
  void publishStandinRelease(Path tmp, String release) throws Exception {
    publishRelease(
        tmp,
        release,
        Map.of("usr/sbin/pkg", Files.readAllBytes(Path.of("../demo/release/usr/sbin/pkg"))),
        Map.of());
  }

  /**
   * Publishes {@code release} for amd64: a busybox base whose {@code pkg} is FreeBSD's real one
   * ({@link RealPkg}, with its libraries and the configuration of a FreeBSD 13.4 system), plus
   * {@code files} (path in the root → content, mode 0644).
   */
  void publishRealPkgRelease(Path tmp, String release, RealPkg pkg, Map<String, String> files)
      throws Exception {
    Map<String, byte[]> config = new TreeMap<>(RealPkg.releaseFiles());
    files.forEach((path, text) -> config.put(path, text.getBytes(StandardCharsets.UTF_8)));
    publishRelease(tmp, release, pkg.jailFiles(), config);
  }

  /**
   * Publishes {@code release} for amd64 with {@code executables} and {@code files} in its busybox
   * base, written under {@link #dist} and signed with acme's key (delegated "releases" and acme's
   * team role, which the token then also covers).
   */
  private void publishRelease(
      Path tmp, String release, Map<String, byte[]> executables, Map<String, byte[]> files)
      throws Exception {
    Key acme = PublicKeyFiles.read(tmp.resolve("keys/acme.pub.json"));
    registry.delegate("releases", acme, "releases/*/*/*");
    registry.delegate(
        TeamTargets.role("acme"), acme, TeamTargets.delegatedPaths("acme").toArray(String[]::new));
    env.put(
        "WARDER_TOKEN",
        registry.token("acme-all", "plugins-acme", "releases", TeamTargets.role("acme")));
    Path dist = dist(tmp, release);
    SyntheticRelease.write(dist, false, 8, executables, files);
    CliRun run =
        warder(
            publisherRoot,
            "publish",
            "release",
            release,
            dist.toString(),
            "--repo",
            "main",
            "--key",
            "acme",
            "--arch",
            "amd64");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
  }

  /** Where {@code release}'s distribution files were written, one directory per release. */
  static Path dist(Path tmp, String release) {
    return tmp.resolve("dist").resolve(release);
  }

  /** Makes the host at {@code root} trust the registry as {@code main}. */
  void addRepo(Path root) {
    publishing.addRepo(root);
  }

  /**
   * Publishes {@code manifest} as acme's plugin {@code id} to {@code main}, its artifact commit
   * {@code ref} of the repository at {@code source}; fails unless warder exits 0.
   */
  void publishPlugin(Path manifest, String id, Path source, String ref) {
    CliRun run = tryPublishPlugin(manifest, id, source, ref);
    assertThat(run.exitCode())
        .as("publish plugin " + manifest + "\n" + run.out() + run.err())
        .isZero();
  }

  /** The same, returning how warder ended (for manifests it refuses). */
  CliRun tryPublishPlugin(Path manifest, String id, Path source, String ref) {
    return warder(
        publisherRoot,
        "publish",
        "plugin",
        manifest.toString(),
        "--repo",
        "main",
        "--publisher",
        "acme",
        "--key",
        "acme",
        "--id",
        id,
        "--artifact-source",
        source.toString(),
        "--artifact-ref",
        ref);
  }

  /** {@link #warder}, failing unless it exits 0. */
  CliRun ok(Path root, String... args) {
    CliRun run = warder(root, args);
    assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run.out() + run.err()).isZero();
    return run;
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

  /**
   * Checks out {@code plugin}'s artifact from {@code catalog} into {@code pluginDir} as an install
   * does ({@link ArtifactStep}): while its bundle downloads, each chunk handed on once it matched.
   */
  static void checkout(PluginCatalog catalog, ResolvedPlugin plugin, Path pluginDir)
      throws Exception {
    artifactStep(catalog, plugin, pluginDir)
        .run(new ConsoleReporter(new PrintWriter(Writer.nullWriter())));
  }

  /** The step of an install that checks {@code plugin}'s artifact out of {@code catalog}. */
  static ArtifactStep artifactStep(PluginCatalog catalog, ResolvedPlugin plugin, Path pluginDir) {
    ArtifactBundles bundles =
        (p, verified) -> {
          try {
            catalog.bundle(p, verified);
          } catch (TufException e) {
            throw new ClientException(ClientException.Reason.REFUSED, e.getMessage(), e);
          }
        };
    return new ArtifactStep(
        bundles, plugin, plugin.manifest().artifactRef().orElseThrow(), pluginDir);
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
