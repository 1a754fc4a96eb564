package org.warder.client.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.ClientException;
import org.warder.client.layout.HostLayout;
import org.warder.client.testing.AwaitFile;
import org.warder.client.testing.HoldingProxy;
import org.warder.registry.storage.RegistryLayout;
import org.warder.signing.tuf.ChunkHashes;
import org.warder.signing.tuf.TargetFile;

/**
 * A plugin artifact whose bundle spans three signed 4 MiB chunks, checked out as an install does
 * ({@link ArtifactStep}) with real components: a registry in-process over real HTTP, a real git
 * repository, and a real HTTP peer in front of the registry ({@link HoldingProxy}) that holds the
 * bundle's last chunk until the test lets it go. JGit fetches the bundle while it downloads, each
 * chunk only once it matched; nothing is checked out before the whole bundle matched; a chunk
 * changed on the server stops the checkout naming it, with nothing left.
 */
class StreamingArtifactTest {
  @TempDir static Path tmp;
  static PublishedPlugins plugins;
  static byte[] noise;
  static String commit;

  @BeforeAll
  static void publish() throws Exception {
    plugins = new PublishedPlugins(tmp);
    Path source = tmp.resolve("src/iocage-plugin-big");
    Files.createDirectories(source);
    noise = new byte[10 << 20]; // incompressible: the bundle takes three chunks
    new Random(17).nextBytes(noise);
    Files.write(source.resolve("noise.bin"), noise);
    Files.writeString(source.resolve("post_install.sh"), "#!/bin/sh\ntrue\n");
    Files.setPosixFilePermissions(
        source.resolve("post_install.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    PersonIdent who = new PersonIdent("Plugin Author", "author@example.org");
    try (Git git = Git.init().setDirectory(source.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      commit =
          git.commit()
              .setMessage("big")
              .setAuthor(who)
              .setCommitter(who)
              .setSign(false)
              .call()
              .name();
    }
    Path manifest = tmp.resolve("big.json");
    Files.writeString(manifest, PluginEndToEndTest.MANIFEST.formatted("1", ""));
    plugins.publishPlugin(manifest, "big", source, commit);
  }

  @AfterAll
  static void stop() throws Exception {
    plugins.close();
  }

  /** The catalogue of a new host at {@code name} trusting the registry through {@code url}. */
  private static PluginCatalog host(String name, String url) throws Exception {
    Path root = tmp.resolve(name);
    plugins.ok(root, "repo", "add", "main", url, "--root-sha256", plugins.registry.rootSha256());
    return plugins.catalog(root);
  }

  @Test
  void testCheckout_fetchesTheBundleWhileItDownloads() throws Exception {
    try (HoldingProxy proxy = new HoldingProxy(plugins.registry.url())) {
      PluginCatalog catalog = host("a", proxy.url());
      ResolvedPlugin p = catalog.resolve("acme/big");
      TargetFile target = p.bundle().orElseThrow();
      ChunkHashes chunks = ChunkHashes.of(target).orElseThrow();
      assertThat(chunks.sha256()).hasSize(3);
      int last = chunks.length(2, target.length());
      proxy.holdAfter(path -> path.endsWith("artifact.bundle"), target.length() - last);
      Path dir = tmp.resolve("a/jails/big/plugin");
      assertThat(PublishedPlugins.artifactStep(catalog, p, dir).describe())
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .contains(
              "fetched while it downloads: each of its 3 chunks of 4194304 bytes once it matched"
                  + " its signed sha256");
      CompletableFuture<Void> checkout =
          CompletableFuture.runAsync(
              () -> {
                try {
                  PublishedPlugins.checkout(catalog, p, dir);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      assertThat(proxy.awaitHolding(120)).as("the checkout asked for the bundle").isTrue();
      // the last chunk is held back: JGit must be at work on the first ones all the same
      // JGit's incoming pack, in the temporary checkout next to the plugin's directory
      Path incoming =
          AwaitFile.nonEmpty(
              dir.getParent(),
              n -> n.startsWith("incoming_"),
              checkout,
              "JGit read nothing while the bundle downloaded");
      assertThat(Files.size(incoming)).isPositive();
      assertThat(checkout).as("the download cannot end before the last chunk").isNotDone();
      assertThat(dir).as("nothing checked out yet").doesNotExist();
      assertThat(dir.resolveSibling("plugin.new")).doesNotExist();
      proxy.release();
      checkout.get(5, TimeUnit.MINUTES);
      assertThat(dir.resolve("noise.bin")).hasBinaryContent(noise);
      assertThat(Files.isExecutable(dir.resolve("post_install.sh"))).isTrue();
      assertOnlyPluginLeft(dir.getParent());
      assertThat(
              new HostLayout(tmp.resolve("a"))
                  .repoCache("main")
                  .resolve(target.sha256().orElseThrow()))
          .as("the verified copy is kept in the cache")
          .hasSize(target.length());
    }
  }

  @Test
  void testCheckout_aChunkChangedOnTheServer_refusedNamingItWithNothingLeft() throws Exception {
    PluginCatalog catalog = host("b", plugins.registry.url());
    ResolvedPlugin p = catalog.resolve("acme/big");
    TargetFile target = p.bundle().orElseThrow();
    Path blob =
        new RegistryLayout(tmp.resolve("registry"))
            .blob(target.sha256().orElseThrow())
            .orElseThrow();
    byte[] good = Files.readAllBytes(blob);
    byte[] bad = good.clone();
    bad[ChunkHashes.DEFAULT_SIZE + 100] ^= 1; // in the second chunk
    blob.toFile().setWritable(true);
    Files.write(blob, bad);
    Path dir = tmp.resolve("b/jails/big/plugin");
    try {
      assertThatThrownBy(() -> PublishedPlugins.checkout(catalog, p, dir))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("chunk 1")
          .extracting(e -> ((ClientException) e).reason())
          .as("a refusal, as a bundle that does not match always was")
          .isEqualTo(ClientException.Reason.REFUSED);
    } finally {
      Files.write(blob, good);
    }
    assertThat(dir.getParent()).isEmptyDirectory();
    try (Stream<Path> cache = Files.list(new HostLayout(tmp.resolve("b")).repoCache("main"))) {
      assertThat(cache.map(f -> f.getFileName().toString()))
          .as("no copy of the bundle kept")
          .noneMatch(n -> n.contains(target.sha256().orElseThrow()));
    }
  }

  private static void assertOnlyPluginLeft(Path jailDir) throws Exception {
    try (Stream<Path> files = Files.list(jailDir)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .as("no temporary checkout or plugin.new left")
          .containsExactly("plugin");
    }
  }
}
