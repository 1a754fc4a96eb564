package org.warder.client.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.layout.HostLayout;
import org.warder.registry.storage.RegistryLayout;
import org.warder.signing.testing.CliRun;
import org.warder.signing.testing.ExternalTools;
import org.warder.signing.tuf.ChunkHashes;
import org.warder.signing.tuf.DigestMismatchException;
import org.warder.signing.tuf.FileDigest;

/**
 * The plugin path with real components: a registry in-process over real HTTP, a real git repository
 * made with JGit, {@code warder publish plugin} pinned to the first of two commits, {@code git
 * bundle verify} on the published bundle, {@code warder list -PR}, {@link PluginCatalog} and {@link
 * ArtifactCheckout} on another host, and refusals of bad input.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PluginEndToEndTest {
  static final String MANIFEST =
      """
      {
        "name": "Test Plugin",
        "release": "14.2-RELEASE",
        "artifact": "https://git.example.invalid/acme/iocage-plugin-testplugin.git",
        "official": false,
        "properties": {"nat": 1, "nat_forwards": "tcp(80:8080)"},
        "pkgs": ["nginx"],
        "packagesite": "http://pkg.FreeBSD.org/${ABI}/latest",
        "fingerprints": {"iocage-plugins": [{"function": "sha256",
            "fingerprint": "b0170035af3acc5f3f3ae1859dc717101b4e6c1d0a794ad554928ca0cbb2f438"}]},
        "revision": "%s"%s
      }
      """;
  @TempDir static Path tmp;
  static PublishedPlugins plugins;
  static TestArtifactRepo artifact;
  static Path manifest;

  static CliRun warder(Path root, String... args) {
    return plugins.warder(root, args);
  }

  static Path manifest(String name, String revision, String extra) throws Exception {
    Path file = tmp.resolve("manifests").resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, MANIFEST.formatted(revision, extra));
    return file;
  }

  static CliRun publish(Path manifestFile, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "publish",
                "plugin",
                manifestFile.toString(),
                "--repo",
                "main",
                "--publisher",
                "acme",
                "--key",
                "acme",
                "--artifact-source",
                artifact.dir().toString()));
    args.addAll(List.of(more));
    return warder(plugins.publisherRoot, args.toArray(String[]::new));
  }

  @BeforeAll
  static void setUp() throws Exception {
    plugins = new PublishedPlugins(tmp);
    artifact = TestArtifactRepo.create(tmp.resolve("src/iocage-plugin-testplugin"));
    manifest = manifest("testplugin.json", "1", "");
  }

  @AfterAll
  static void stop() throws Exception {
    plugins.close();
  }

  @Test
  @Order(1)
  void testPublishPlugin_pinnedToTheFirstCommit() throws Exception {
    CliRun run =
        publish(
            manifest,
            "--artifact-ref",
            "v1",
            "--description",
            "A plugin\nfor tests",
            "--primary-pkg",
            "nginx");
    assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
    assertThat(run.err()).contains("warning: " + manifest + ": $.revision: ");
    assertThat(run.out())
        .contains("ok        testplugin: revision 1, commit " + artifact.first())
        .contains("published 1 plugin(s) as plugins-acme version 1");

    ResolvedPlugin p = plugins.catalog(tmp.resolve("check")).resolve("testplugin");
    assertThat(p.manifest().artifactRef()).contains(artifact.first());
    assertThat(p.manifest().artifactBundle()).contains("plugins/acme/testplugin/1/artifact.bundle");
    assertThat(p.manifestTarget().path()).isEqualTo("plugins/acme/testplugin/1/manifest.json");
    JsonNode json = new ObjectMapper().readTree(p.manifestBytes());
    assertThat(json.get("artifact_ref").asText()).isEqualTo(artifact.first());
    assertThat(json.get("revision").asInt()).isEqualTo(1);
    assertThat(p.manifestTarget().custom().orElseThrow().get("kind").asText())
        .isEqualTo("plugin-manifest");
    assertThat(p.bundle().orElseThrow().custom().orElseThrow().get("commit").asText())
        .isEqualTo(artifact.first());
    plugins.catalog(tmp.resolve("check")).bundle(p, java.io.OutputStream.nullOutputStream());
    Path bundle =
        new HostLayout(tmp.resolve("check"))
            .repoCache("main")
            .resolve(p.bundle().orElseThrow().sha256().orElseThrow());
    assertThat(ChunkHashes.of(p.bundle().orElseThrow()))
        .as("the artifact bundle's chunk hashes are signed, checked as it downloads")
        .hasValue(FileDigest.of(bundle).chunks());

    // the bundle is a real git bundle holding exactly the pinned commit, checked by git itself
    Path git = ExternalTools.require("git", "git");
    Path empty = tmp.resolve("verify-repo");
    ExternalTools.runOk(null, null, git.toString(), "init", "-q", empty.toString());
    Path heads = tmp.resolve("heads.txt");
    ExternalTools.Result verify =
        ExternalTools.run(
            null,
            heads,
            git.toString(),
            "-C",
            empty.toString(),
            "bundle",
            "verify",
            bundle.toString());
    assertThat(verify.exitCode()).as(verify.stderr()).isZero();
    assertThat(verify.stderr() + Files.readString(heads))
        .contains("complete history")
        .contains(artifact.first() + " refs/tags/warder/" + artifact.first())
        .doesNotContain(artifact.second());
  }

  @Test
  @Order(2)
  void testListPR_showsThePublishedPlugin() throws Exception {
    Path host = tmp.resolve("host-list");
    plugins.addRepo(host);
    CliRun list = warder(host, "list", "-PR");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out().lines().findFirst().orElseThrow())
        .matches("NAME +DESCRIPTION +PKG +OFFICIAL +ID");
    CliRun scripted = warder(host, "list", "-PR", "--repo", "main", "-h");
    assertThat(scripted.out())
        .isEqualTo("Test Plugin\tA plugin for tests\tnginx\tfalse\tacme/testplugin\n");
    CliRun json = warder(host, "list", "-P", "-R", "--json");
    JsonNode rows = new ObjectMapper().readTree(json.out());
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("id").asText()).isEqualTo("acme/testplugin");
    // without -R: the plugins installed on this host, none here
    CliRun installed = warder(host, "list", "-P", "-h");
    assertThat(installed.exitCode()).as(installed.err()).isZero();
    assertThat(installed.out()).isEmpty();
    CliRun remoteAlone = warder(host, "list", "-R");
    assertThat(remoteAlone.exitCode()).isEqualTo(2);
    assertThat(remoteAlone.err()).contains("choose one of -r, -t, -P or -PR");
  }

  @Test
  @Order(3)
  void testCatalogAndCheckout_giveExactlyTheFirstCommitsTree() throws Exception {
    Path host = tmp.resolve("host-install");
    plugins.addRepo(host);
    PluginCatalog catalog = plugins.catalog(host);
    assertThat(catalog.list())
        .extracting(PluginListing::qualifiedId)
        .containsExactly("acme/testplugin");
    ResolvedPlugin p = catalog.resolve("acme/testplugin");
    assertThat(p.manifest().name()).isEqualTo("Test Plugin");
    assertThat(p.warnings()).isEmpty(); // the published manifest is the normalised one
    Path dir = host.resolve("jails/test/plugin");
    PublishedPlugins.checkout(catalog, p, dir);
    assertThat(p.manifest().artifactRef()).contains(artifact.first());
    assertThat(TestArtifactRepo.tree(dir)).isEqualTo(artifact.firstTree());
    assertThat(Files.readString(dir.resolve("ui.json"))).contains(":8080/");
    assertThat(dir.resolve("CHANGELOG")).doesNotExist();
    assertThat(Files.isExecutable(dir.resolve("post_install.sh"))).isTrue();
    try (Stream<Path> siblings = Files.list(dir.getParent())) {
      assertThat(siblings.map(f -> f.getFileName().toString()))
          .as("no temporary checkout, plugin.new or plugin.old left")
          .containsExactly("plugin");
    }

    assertThatThrownBy(() -> catalog.resolve("nosuchplugin"))
        .isInstanceOf(PluginNotFoundException.class)
        .hasMessageContaining("'warder list -PR'");
    assertThatThrownBy(() -> catalog.resolve("TestPlugin"))
        .isInstanceOf(PluginNotFoundException.class)
        .hasMessageContaining("did you mean acme/testplugin?");
    assertThatThrownBy(() -> catalog.resolve("ix/testplugin"))
        .isInstanceOf(PluginNotFoundException.class);
  }

  @Test
  @Order(4)
  void testPublishPlugin_badInputRefusedAndNothingPublished() throws Exception {
    OptionalLong before = plugins.roleVersion("plugins-acme");
    Path shell = tmp.resolve("manifests/evil.json");
    Files.writeString(
        shell, Files.readString(manifest).replace("\"nginx\"", "\"nginx; rm -rf /\""));
    CliRun badManifest = publish(shell);
    assertThat(badManifest.exitCode()).isEqualTo(1);
    assertThat(badManifest.err())
        .contains(shell.toString())
        .contains("$.pkgs[0]")
        .contains("nginx; rm -rf /");

    CliRun noRef = publish(manifest, "--artifact-ref", "no-such-branch");
    assertThat(noRef.exitCode()).isEqualTo(1);
    assertThat(noRef.err())
        .contains("expected branch, tag or commit \"no-such-branch\"")
        .contains("found none")
        .contains("main")
        .contains("tag v1");

    Path pinned =
        manifest("pinned.json", "2", ",\n  \"artifact_ref\": \"" + artifact.first() + "\"");
    CliRun mismatch = publish(pinned, "--id", "testplugin", "--artifact-ref", "main");
    assertThat(mismatch.exitCode()).isEqualTo(1);
    assertThat(mismatch.err())
        .contains("artifact_ref " + artifact.first())
        .contains("found commit " + artifact.second())
        .contains("pass --artifact-ref " + artifact.second());

    for (String id : List.of("../etc", "a/b", "..")) {
      CliRun badId = publish(manifest, "--id", id);
      assertThat(badId.exitCode()).as(id).isEqualTo(1);
      assertThat(badId.err()).as(id).contains("no '/' or '..'");
    }
    CliRun badPublisher =
        warder(
            plugins.publisherRoot,
            "publish",
            "plugin",
            manifest.toString(),
            "--repo",
            "main",
            "--publisher",
            "../acme",
            "--artifact-source",
            artifact.dir().toString());
    assertThat(badPublisher.exitCode()).isEqualTo(1);
    assertThat(badPublisher.err()).contains("expected a publisher name");

    // revision 1 is published with the first commit: the second commit needs a new revision
    CliRun conflict = publish(manifest, "--artifact-ref", "main");
    assertThat(conflict.exitCode()).isEqualTo(1);
    assertThat(conflict.err())
        .contains("published revisions never change")
        .contains("commit " + artifact.first());
    assertThat(plugins.roleVersion("plugins-acme")).isEqualTo(before);

    // the same revision and commit again: nothing to do
    CliRun again = publish(manifest, "--artifact-ref", artifact.first());
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("unchanged testplugin").contains("nothing new published");
    assertThat(plugins.roleVersion("plugins-acme")).isEqualTo(before);
  }

  @Test
  @Order(5)
  void testPublishPlugin_explicitCommitReplacesThePin() throws Exception {
    Path pinned =
        manifest("pinned2.json", "2", ",\n  \"artifact_ref\": \"" + artifact.first() + "\"");
    CliRun run = publish(pinned, "--id", "testplugin", "--artifact-ref", artifact.second());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("artifact_ref " + artifact.first() + " replaced by " + artifact.second())
        .contains("ok        testplugin: revision 2, commit " + artifact.second())
        .contains("as plugins-acme version 2");
    ResolvedPlugin p = plugins.catalog(tmp.resolve("host-v2")).resolve("testplugin");
    assertThat(p.manifestTarget().path()).isEqualTo("plugins/acme/testplugin/2/manifest.json");
    assertThat(p.manifest().artifactRef()).contains(artifact.second());
    assertThat(p.entry().description())
        .isEqualTo("A plugin\nfor tests"); // kept from the published entry
  }

  @Test
  @Order(9)
  void testBundle_tamperedBlobRefused() throws Exception {
    Path host = tmp.resolve("host-tampered");
    plugins.addRepo(host);
    PluginCatalog catalog = plugins.catalog(host);
    ResolvedPlugin p = catalog.resolve("testplugin");
    String sha = p.bundle().orElseThrow().sha256().orElseThrow();
    Path blob = new RegistryLayout(tmp.resolve("registry")).blob(sha).orElseThrow();
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length / 2] ^= 1;
    blob.toFile().setWritable(true);
    Files.write(blob, bytes);
    assertThatThrownBy(() -> catalog.bundle(p, java.io.OutputStream.nullOutputStream()))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("expected sha256 " + sha);
    try (Stream<Path> cache = Files.list(new HostLayout(host).repoCache("main"))) {
      assertThat(cache.map(f -> f.getFileName().toString()))
          .doesNotContain(sha)
          .noneMatch(n -> n.endsWith(".part"));
    }
  }
}
