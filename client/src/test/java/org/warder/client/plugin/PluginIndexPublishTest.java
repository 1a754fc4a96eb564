package org.warder.client.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.publish.DelegatedRoles;
import org.warder.client.publish.RegistryClient;
import org.warder.client.testing.TreeSnapshot;
import org.warder.signing.testing.CliRun;
import org.warder.signing.tuf.TargetFile;

/**
 * {@code warder publish plugin-index} of a directory made from the real iocage samples of the
 * plugin-index module (its INDEX and the manifests it names that are there), each artifact a local
 * JGit repository named after its artifact URL; then {@code list -PR}, resolving and checking out
 * an imported plugin; and the partial-import policy on the whole 74-entry INDEX.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PluginIndexPublishTest {
  static final Path SAMPLES =
      Path.of(System.getProperty("basedir", "."))
          .resolve("../plugin-index/src/test/resources/iocage-samples")
          .normalize();
  static final String INDEX = "ix-plugin-hub__iocage-plugin-index__master__INDEX";
  static final List<String> IMPORTED =
      List.of("archiwarep5", "homebridge", "jellyfin", "transmission");
  @TempDir static Path tmp;
  static PublishedPlugins plugins;
  static Path artifacts;
  static Map<String, TestArtifactRepo> repos = new HashMap<>();

  @BeforeAll
  static void setUp() throws Exception {
    plugins = new PublishedPlugins(tmp);
    artifacts = tmp.resolve("artifacts");
    ObjectMapper json = new ObjectMapper();
    JsonNode index = json.readTree(SAMPLES.resolve(INDEX).toFile());
    Map<String, Path> manifests = new HashMap<>();
    try (Stream<Path> files = Files.list(SAMPLES)) {
      files
          .filter(f -> f.toString().endsWith(".json"))
          .forEach(
              f -> {
                String name = f.getFileName().toString();
                manifests.put(name.substring(name.lastIndexOf("__") + 2), f);
              });
    }
    ObjectNode kept = json.createObjectNode();
    Path dir = tmp.resolve("index");
    Path full = tmp.resolve("index-full");
    Files.createDirectories(dir);
    Files.createDirectories(full);
    Files.copy(SAMPLES.resolve(INDEX), full.resolve("INDEX"));
    for (Map.Entry<String, JsonNode> e : index.properties()) {
      Path manifest = manifests.get(e.getValue().get("MANIFEST").asText());
      if (manifest != null) {
        kept.set(e.getKey(), e.getValue());
        Files.copy(manifest, dir.resolve(e.getValue().get("MANIFEST").asText()));
        Files.copy(manifest, full.resolve(e.getValue().get("MANIFEST").asText()));
        String url = json.readTree(manifest.toFile()).get("artifact").asText();
        String repo = url.substring(url.lastIndexOf('/') + 1).replace(".git", "");
        repos.put(e.getKey(), TestArtifactRepo.create(artifacts.resolve(repo)));
      }
    }
    Files.write(
        dir.resolve("INDEX"), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(kept));
    assertThat(kept.properties()).extracting(Map.Entry::getKey).containsExactlyElementsOf(IMPORTED);
  }

  @AfterAll
  static void stop() throws Exception {
    plugins.close();
  }

  static CliRun importIndex(Path dir, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "publish",
                "plugin-index",
                dir.toString(),
                "--repo",
                "main",
                "--publisher",
                "ix",
                "--key",
                "acme",
                "--artifact-source",
                artifacts.toString()));
    args.addAll(List.of(more));
    return plugins.warder(plugins.publisherRoot, args.toArray(String[]::new));
  }

  @Test
  @Order(0)
  void testPublishPluginIndex_dryRun_listsEveryUploadAndTheRoleVersionAndChangesNothing()
      throws Exception {
    TreeSnapshot before = TreeSnapshot.of(tmp.resolve("registry"));
    CliRun run = importIndex(tmp.resolve("index"), "--dry-run");
    assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
    for (String id : IMPORTED) {
      assertThat(run.out())
          .contains(
              "upload: git bundle of "
                  + id
                  + " at commit "
                  + repos.get(id).second()
                  + " as plugins/ix/"
                  + id
                  + "/")
          .containsPattern(
              "upload: manifest of "
                  + id
                  + " revision \\d+ as plugins/ix/"
                  + id
                  + "/\\d+/manifest.json, \\d+ bytes, sha256 [0-9a-f]{64}\n");
    }
    assertThat(run.out())
        .contains("upload: INDEX of 4 plugin(s) as plugins/ix/INDEX, ")
        .contains("sign: role plugins-ix version 1, listing these files\n")
        .endsWith("(--dry-run: nothing was uploaded or signed)\n")
        .doesNotContain("published 4 plugin(s)");
    assertThat(TreeSnapshot.of(tmp.resolve("registry")))
        .as("no blob, no version of plugins-ix")
        .isEqualTo(before);
    assertThat(plugins.roleVersion("plugins-ix")).isEmpty();
  }

  @Test
  @Order(1)
  void testPublishPluginIndex_publishesEveryPluginInOneVersion() throws Exception {
    CliRun run = importIndex(tmp.resolve("index"));
    assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
    for (String id : IMPORTED) {
      assertThat(run.out())
          .contains("ok        " + id + ": revision ")
          .contains("commit " + repos.get(id).second());
    }
    assertThat(run.out()).contains("published 4 plugin(s) as plugins-ix version 1");
    // iocage's quirks are reported, not fatal
    assertThat(run.err())
        .contains("homebridge.json: $.offical")
        .contains("homebridge.json: $.revision");
    assertThat(plugins.roleVersion("plugins-ix")).isEqualTo(OptionalLong.of(1));
  }

  @Test
  @Order(2)
  void testListPR_listsTheImportedPlugins() throws Exception {
    Path host = tmp.resolve("host");
    plugins.addRepo(host);
    CliRun list = plugins.warder(host, "list", "-PR", "-h");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out().lines().map(l -> l.substring(l.lastIndexOf('\t') + 1)).toList())
        .containsExactly("ix/archiwarep5", "ix/homebridge", "ix/jellyfin", "ix/transmission");
    assertThat(list.out())
        .contains(
            "Transmission\tFast and lightweight BitTorrent client.\ttransmission-daemon\tfalse\t")
        .contains("Jellyfin\tJellyfin is a Free Software Media System");
  }

  @Test
  @Order(3)
  void testCatalog_resolvesAndChecksOutAnImportedPlugin() throws Exception {
    Path host = tmp.resolve("host");
    PluginCatalog catalog = plugins.catalog(host);
    ResolvedPlugin jellyfin = catalog.resolve("jellyfin");
    assertThat(jellyfin.qualifiedId()).isEqualTo("ix/jellyfin");
    assertThat(jellyfin.manifest().name()).isEqualTo("Jellyfin Server");
    assertThat(jellyfin.manifest().devfsRuleset()).isPresent();
    assertThat(jellyfin.entry().manifestTarget()).contains("plugins/ix/jellyfin/3/manifest.json");
    Path dir = host.resolve("jails/jellyfin/plugin");
    PublishedPlugins.checkout(catalog, jellyfin, dir);
    assertThat(jellyfin.manifest().artifactRef()).contains(repos.get("jellyfin").second());
    assertThat(dir.resolve("CHANGELOG")).exists();
  }

  @Test
  @Order(3)
  void testPublishPlugin_dryRun_ofANewDescriptionUploadsOnlyTheIndex() throws Exception {
    String manifest =
        new ObjectMapper()
            .readTree(tmp.resolve("index/INDEX").toFile())
            .get("jellyfin")
            .get("MANIFEST")
            .asText();
    TreeSnapshot before = TreeSnapshot.of(tmp.resolve("registry"));
    CliRun run =
        plugins.warder(
            plugins.publisherRoot,
            "publish",
            "plugin",
            tmp.resolve("index").resolve(manifest).toString(),
            "--id",
            "jellyfin",
            "--repo",
            "main",
            "--publisher",
            "ix",
            "--key",
            "acme",
            "--artifact-source",
            repos.get("jellyfin").dir().toString(),
            "--description",
            "A new description",
            "--dry-run");
    assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
    assertThat(run.out())
        .contains("unchanged jellyfin: revision 3")
        .doesNotContain("upload: git bundle")
        .contains("upload: INDEX of 4 plugin(s) as plugins/ix/INDEX, ")
        .contains("sign: role plugins-ix version 2, listing these files\n")
        .endsWith("(--dry-run: nothing was uploaded or signed)\n");
    assertThat(TreeSnapshot.of(tmp.resolve("registry"))).isEqualTo(before);
    assertThat(plugins.roleVersion("plugins-ix")).isEqualTo(OptionalLong.of(1));

    CliRun same = importIndex(tmp.resolve("index"), "--dry-run");
    assertThat(same.exitCode()).as(same.err()).isZero();
    assertThat(same.out())
        .contains("nothing new would be published as plugins-ix\n")
        .doesNotContain("upload:")
        .doesNotContain("sign:");
  }

  @Test
  @Order(4)
  void testPublishPluginIndex_partialImportReportsEachRefusal() throws Exception {
    CliRun strict = importIndex(tmp.resolve("index-full"), "--strict");
    assertThat(strict.exitCode()).isEqualTo(1);
    assertThat(strict.err())
        .contains("refused 70 of 74 plugin(s)")
        .contains("nothing was published (--strict)");

    CliRun run = importIndex(tmp.resolve("index-full"));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .contains("refused   adguardhome: expected the manifest adguardhome.json beside the INDEX")
        .contains("unchanged jellyfin: revision 3")
        .contains("nothing new published as plugins-ix");
    assertThat(run.out().lines().filter(l -> l.startsWith("refused"))).hasSize(70);
    assertThat(run.err()).contains("refused 70 of 74 plugin(s), listed above");
    assertThat(plugins.roleVersion("plugins-ix")).isEqualTo(OptionalLong.of(1));
  }

  @Test
  @Order(5)
  void testPublishPluginIndex_fromAGitRepository() throws Exception {
    // the same index as a git repository: read from its commit with JGit, nothing new to publish
    Path repo = tmp.resolve("index-git");
    org.warder.signing.testing.TestFiles.copyTree(tmp.resolve("index"), repo);
    try (org.eclipse.jgit.api.Git git =
        org.eclipse.jgit.api.Git.init()
            .setDirectory(repo.toFile())
            .setInitialBranch("13.2-RELEASE")
            .call()) {
      git.add().addFilepattern(".").call();
      org.eclipse.jgit.lib.PersonIdent who =
          new org.eclipse.jgit.lib.PersonIdent("Index", "index@example.org");
      git.commit().setMessage("index").setAuthor(who).setCommitter(who).setSign(false).call();
    }
    CliRun run = importIndex(repo, "--source-ref", "13.2-RELEASE");
    assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
    for (String id : IMPORTED) {
      assertThat(run.out()).contains("unchanged " + id + ": ");
    }
    assertThat(run.out()).contains("nothing new published as plugins-ix");
    CliRun missing = importIndex(repo, "--source-ref", "12.0-RELEASE");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err())
        .contains("\"12.0-RELEASE\"")
        .contains("found none")
        .contains("13.2-RELEASE");
  }

  @Test
  @Order(6)
  void testListPR_aHostilePublisherIsLeftOutAndTheOthersStillWork() throws Exception {
    // plugins-acme signs an INDEX without its custom, then one that is not an INDEX at all
    byte[] notAnIndex = "{\"x\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Path file = tmp.resolve("hostile-INDEX");
    Files.write(file, notAnIndex);
    String sha256 = org.warder.signing.Digests.sha256Hex(notAnIndex);
    RegistryClient client = plugins.client();
    client.upload(
        file, sha256, notAnIndex.length, org.warder.client.progress.ProgressListener.NONE);
    String path = PluginTargets.index("acme");
    for (Optional<ObjectNode> custom :
        List.of(Optional.<ObjectNode>empty(), Optional.of(PluginTargets.indexCustom("acme")))) {
      Map<String, TargetFile> targets =
          Map.of(
              path,
              new TargetFile(
                  path,
                  notAnIndex.length,
                  Map.of("sha256", sha256),
                  custom.map(c -> (JsonNode) c)));
      DelegatedRoles.submitNextVersion(
          "plugins-acme",
          plugins.updater().roleMetadata("plugins-acme"),
          targets,
          java.time.Instant.now(),
          plugins.signingKey(),
          client);

      Path root = Files.createTempDirectory(tmp, "host-hostile").resolve("root");
      plugins.addRepo(root);
      CliRun list = plugins.warder(root, "list", "-PR", "-h");
      assertThat(list.exitCode()).as(list.err()).isZero();
      assertThat(list.out().lines().map(l -> l.substring(l.lastIndexOf('\t') + 1)).toList())
          .containsExactly("ix/archiwarep5", "ix/homebridge", "ix/jellyfin", "ix/transmission");
      assertThat(list.err())
          .startsWith("warning: left out the plugins of publisher acme (role plugins-acme): ")
          .contains(
              custom.isEmpty()
                  ? "target plugins/acme/INDEX: expected custom.kind plugin-index, found none"
                  : "signed plugins/acme/INDEX is not a valid INDEX");

      // what fetch -P does first: the other publisher's plugin resolves, its bundle verifies
      java.io.StringWriter warnings = new java.io.StringWriter();
      PluginCatalog catalog = plugins.catalog(root, new java.io.PrintWriter(warnings));
      ResolvedPlugin jellyfin = catalog.resolve("jellyfin");
      assertThat(jellyfin.qualifiedId()).isEqualTo("ix/jellyfin");
      java.io.ByteArrayOutputStream bundle = new java.io.ByteArrayOutputStream();
      catalog.bundle(jellyfin, bundle);
      assertThat(org.warder.signing.Digests.sha256Hex(bundle.toByteArray()))
          .isEqualTo(jellyfin.bundle().orElseThrow().sha256().orElseThrow());
      assertThat(warnings.toString())
          .contains("left out the plugins of publisher acme (role plugins-acme)");
      assertThatThrownBy(() -> catalog.resolve("acme/jellyfin"))
          .isInstanceOf(PluginNotFoundException.class);
    }
  }
}
