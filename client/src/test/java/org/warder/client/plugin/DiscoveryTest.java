package org.warder.client.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.testing.TestHost;

/**
 * What a registry offers, as a user discovers it: {@code list -r --repo} (releases, architectures,
 * sizes), {@code list -t --repo} (templates and pushed jails, KIND), {@code list -PR TEXT} (a
 * search), {@code fetch -r} of an unpublished release naming the published ones, and {@code --json}
 * typed (numbers, booleans, null) in every listing and {@code get}. One registry with a release, a
 * plugin, a template and a jail, all published through the real client.
 */
class DiscoveryTest {
  static final String REL = "14.2-RELEASE";
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  static PublishedPlugins plugins;
  static TestHost host;

  @BeforeAll
  static void publish() throws Exception {
    plugins = new PublishedPlugins(tmp);
    // pkg never runs here (the release is only listed, with its size): the stand-in's release is
    // a few KiB, the real pkg's (RealPkg) carries its shared libraries
    plugins.publishStandinRelease(tmp, REL);
    TestArtifactRepo artifact = TestArtifactRepo.create(tmp.resolve("src/iocage-plugin-web"));
    Path manifest = tmp.resolve("manifests/web.json");
    Files.createDirectories(manifest.getParent());
    Files.writeString(
        manifest,
        PluginEndToEndTest.MANIFEST.formatted("3", "").replace("Test Plugin", "Web Server"));
    plugins.ok(
        plugins.publisherRoot,
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
        "web",
        "--artifact-source",
        artifact.dir().toString(),
        "--artifact-ref",
        "v1",
        "--description",
        "Serves static Pages");

    // acme pushes a template and a plain jail from its own host
    TestHost pusher = new TestHost(tmp.resolve("pusher"), plugins.env);
    plugins.addRepo(pusher.root());
    pusher.ok("create", "-e", "-n", "base");
    pusher.ok("set", "template=yes", "base");
    pusher.ok("push", "base", "--repo", "main", "--as", "acme/base", "--key", "acme");
    pusher.ok("create", "-e", "-n", "db");
    pusher.ok("push", "db", "--repo", "main", "--as", "acme/db", "--key", "acme");

    host = new TestHost(tmp.resolve("host"), plugins.env);
    plugins.addRepo(host.root());
  }

  @AfterAll
  static void close() throws Exception {
    plugins.close();
  }

  @Test
  void testListReleasesOfRepo_namesReleaseArchFilesAndSignedSize() throws Exception {
    Path dist = PublishedPlugins.dist(tmp, REL);
    long size = Files.size(dist.resolve("base.txz")) + Files.size(dist.resolve("MANIFEST"));
    assertThat(host.ok("list", "-r", "--repo", "main", "-h").out())
        .isEqualTo(REL + "\tamd64\tMANIFEST,base.txz\t" + size + "\n");
    assertThat(host.ok("list", "-r", "--repo", "main").out())
        .startsWith("RELEASE")
        .contains("SIZE");
    JsonNode rows = JSON.readTree(host.ok("list", "-r", "--repo", "main", "--json").out());
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("release").textValue()).isEqualTo(REL);
    assertThat(rows.get(0).get("arch").textValue()).isEqualTo("amd64");
    assertThat(rows.get(0).get("files").isArray()).isTrue();
    assertThat(rows.get(0).get("files").get(1).textValue()).isEqualTo("base.txz");
    assertThat(rows.get(0).get("size").isIntegralNumber()).isTrue();
    assertThat(rows.get(0).get("size").longValue()).isEqualTo(size);
    // without --repo: the releases this host fetched, none
    assertThat(host.ok("list", "-r", "-h").out()).isEmpty();
  }

  @Test
  void testFetchUnpublishedRelease_namesThePublishedOnes() {
    String err = host.refused("fetch", "-r", "13.9-RELEASE", "--arch", "amd64");
    assertThat(err)
        .contains("expected a signed base.txz of release 13.9-RELEASE for amd64 in main")
        .contains("it publishes " + REL + " (amd64)")
        .contains("'warder list -r --repo main'");
    // the release is published, but not for that architecture
    assertThat(host.refused("fetch", "-r", REL, "--arch", "arm64"))
        .contains("it publishes " + REL + " (amd64)");
    // published for it, without the file asked for
    assertThat(host.refused("fetch", "-r", REL, "--arch", "amd64", "-F", "src.txz"))
        .contains("expected a signed src.txz")
        .contains("it has only MANIFEST, base.txz");
  }

  @Test
  void testListTemplatesOfRepo_alsoListsPushedJailsWithTheirKind() throws Exception {
    List<String[]> rows =
        host.ok("list", "-t", "--repo", "main", "-h")
            .out()
            .lines()
            .map(l -> l.split("\t"))
            .toList();
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0)).startsWith("acme/base", "1");
    assertThat(rows.get(0)[7]).isEqualTo("template");
    assertThat(rows.get(1)).startsWith("acme/db", "1");
    assertThat(rows.get(1)[7]).isEqualTo("jail");
    JsonNode json = JSON.readTree(host.ok("list", "-t", "--repo", "main", "--json").out());
    assertThat(json.get(1).get("kind").textValue()).isEqualTo("jail");
    assertThat(json.get(1).get("size").isIntegralNumber()).isTrue();
    assertThat(json.get(1).get("base").isNull()).as("a full bundle has no base").isTrue();
  }

  @Test
  void testListPluginsRemote_filtersByIdNameDescriptionPublisherAnyCase() throws Exception {
    String all = host.ok("list", "-PR", "-h").out();
    assertThat(all).contains("acme/web");
    for (String match : List.of("WEB", "server", "static pages", "ACME")) {
      assertThat(host.ok("list", "-PR", match, "-h").out()).as(match).contains("\tacme/web\n");
      assertThat(host.ok("list", "-PR", "--search", match, "-h").out())
          .as(match)
          .contains("\tacme/web\n");
    }
    assertThat(host.ok("list", "-PR", "postgres", "-h").out()).isEmpty();
    assertThat(host.warder("list", "-P", "web").err()).contains("only applies with -PR");
    assertThat(host.warder("list", "-PR", "a", "--search", "b").err()).contains("not both");
    JsonNode rows = JSON.readTree(host.ok("list", "-PR", "web", "--json").out());
    assertThat(rows.get(0).get("official").isBoolean()).isTrue();
  }

  @Test
  void testJson_typedInEveryListingAndGetAllIsOneObject() throws Exception {
    TestHost local = new TestHost(tmp.resolve("local"), plugins.env);
    plugins.addRepo(local.root());
    local.ok("create", "-e", "-n", "www", "boot=1", "priority=7");
    JsonNode jails = JSON.readTree(local.ok("list", "--json").out());
    assertThat(jails.get(0).get("name").textValue()).isEqualTo("www");
    assertThat(jails.get(0).get("jid").isNull()).as("a stopped jail has no JID").isTrue();

    JsonNode props = JSON.readTree(local.ok("get", "all", "www", "--json").out());
    assertThat(props.isObject()).isTrue();
    assertThat(props.get("boot").isBoolean()).isTrue();
    assertThat(props.get("boot").booleanValue()).isTrue();
    assertThat(props.get("vnet").booleanValue()).isFalse();
    assertThat(props.get("priority").isIntegralNumber()).isTrue();
    assertThat(props.get("priority").intValue()).isEqualTo(7);
    assertThat(props.get("host_hostname").isTextual()).isTrue();
    assertThat(props.get("ip4").textValue()).isEqualTo("new");
    JsonNode one = JSON.readTree(local.ok("get", "priority", "www", "--json").out());
    assertThat(one.get("priority").intValue()).isEqualTo(7);
    assertThat(one.size()).isEqualTo(1);
    assertThat(local.ok("get", "priority", "www").out()).isEqualTo("7\n");

    JsonNode repos = JSON.readTree(local.ok("repo", "list", "--json").out());
    assertThat(repos.get(0).get("mirrors").isIntegralNumber()).isTrue();
    JsonNode keys = JSON.readTree(local.ok("key", "list", "--json").out());
    assertThat(keys.get(0).get("name").textValue()).isEqualTo("acme");
    assertThat(JSON.readTree(local.ok("list", "-P", "--json").out()).isArray()).isTrue();
    assertThat(JSON.readTree(local.ok("list", "-r", "--json").out()).isArray()).isTrue();
    assertThat(JSON.readTree(local.ok("list", "-t", "--json").out()).isArray()).isTrue();
  }
}
