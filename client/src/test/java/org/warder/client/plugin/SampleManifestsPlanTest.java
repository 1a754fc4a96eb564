package org.warder.client.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.index.PluginManifest;
import org.warder.signing.testing.CliRun;

/**
 * Every real iocage manifest of the samples publishes (its artifact from a local repository, since
 * GitHub is out of reach: --artifact-source), lists with {@code list -PR}, and gets a correct
 * {@code --dry-run} plan for a FreeBSD host ({@code --runtime freebsd}) on any OS. All but one plan
 * with no flag: archiwarep5 asks for raw SCSI devices, mounts and enforce_statfs=0, and plans only
 * with the --allow-device and --allow-property flags that grant them.
 */
class SampleManifestsPlanTest {
  static final Path SAMPLES =
      Path.of(System.getProperty("basedir", "."))
          .resolve("../plugin-index/src/test/resources/iocage-samples")
          .normalize();
  @TempDir static Path tmp;
  static PublishedPlugins plugins;
  static final Map<String, PluginManifest> MANIFESTS = new LinkedHashMap<>();

  @BeforeAll
  static void publishAll() throws Exception {
    plugins = new PublishedPlugins(tmp);
    List<Path> files;
    try (Stream<Path> list = Files.list(SAMPLES)) {
      files =
          list.filter(
                  f ->
                      f.toString().endsWith(".json")
                          && !f.getFileName().toString().contains("plugin_manifest"))
              .sorted()
              .toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(3);
    for (Path f : files) {
      String name = f.getFileName().toString();
      String id = name.substring(name.lastIndexOf("__") + 2).replace(".json", "");
      PluginManifest m = PluginManifest.parse(Files.readAllBytes(f)).value();
      TestArtifactRepo repo = TestArtifactRepo.create(tmp.resolve("artifacts/" + id));
      CliRun run =
          plugins.warder(
              plugins.publisherRoot,
              "publish",
              "plugin",
              f.toString(),
              "--repo",
              "main",
              "--publisher",
              "acme",
              "--key",
              "acme",
              "--id",
              id,
              "--artifact-source",
              repo.dir().toString());
      assertThat(run.exitCode()).as(id + ": " + run.err() + run.out()).isZero();
      MANIFESTS.put(id, m);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    plugins.close();
  }

  @Test
  void testEverySample_listsAndPlansForFreeBsd() throws Exception {
    Path host = tmp.resolve("host");
    plugins.addRepo(host);
    CliRun list = plugins.warder(host, "list", "-PR", "-h");
    assertThat(list.exitCode()).as(list.err()).isZero();
    List<String> ids =
        new ArrayList<>(list.out().lines().map(l -> l.substring(l.lastIndexOf('\t') + 1)).toList());
    assertThat(ids)
        .containsExactlyInAnyOrderElementsOf(
            MANIFESTS.keySet().stream().map(id -> "acme/" + id).toList());

    for (Map.Entry<String, PluginManifest> e : MANIFESTS.entrySet()) {
      String id = e.getKey();
      PluginManifest m = e.getValue();
      String jail = "j-" + id.replaceAll("[^A-Za-z0-9_-]", "-");
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--runtime", "freebsd", "fetch", "-P", "acme/" + id, "-n", jail, "--dry-run"));
      if (id.equals("archiwarep5")) {
        // the one sample that weakens the jail: raw SCSI and tape devices, mounts, enforce_statfs=0
        CliRun refused = plugins.warder(host, args.toArray(String[]::new));
        assertThat(refused.exitCode()).as(refused.out()).isNotZero();
        assertThat(refused.err())
            .contains(
                "plugin acme/archiwarep5 asks for more than a plugin gets by default, so nothing"
                    + " was made: devfs_ruleset.paths 'ch0' (host devices made visible in the jail) needs --allow-device 'ch0';")
            .contains("properties.enforce_statfs=0 needs --allow-property enforce_statfs");
        assertThat(refused.out()).doesNotContain("devfs rule").doesNotContain("jail -f");
        args.addAll(
            List.of(
                "--allow-device",
                "pass*",
                "--allow-device",
                "sa0",
                "--allow-device",
                "nsa0",
                "--allow-device",
                "ch0",
                "--allow-device",
                "xpt0",
                "--allow-property",
                "allow_mount",
                "--allow-property",
                "allow_mount_devfs",
                "--allow-property",
                "allow_mount_procfs",
                "--allow-property",
                "securelevel",
                "--allow-property",
                "enforce_statfs"));
      }
      CliRun plan = plugins.warder(host, args.toArray(String[]::new));
      assertThat(plan.exitCode()).as(id + ": " + plan.err() + plan.out()).isZero();
      String out = plan.out();
      if (id.equals("archiwarep5")) {
        assertThat(out)
            .contains(
                "allow: will allow: devfs_ruleset.paths 'pass0' (host devices made visible in the jail),"
                    + " granted by --allow-device 'pass*'")
            .contains(
                "allow: will allow: properties.enforce_statfs=0, granted by --allow-property enforce_statfs");
        assertThat(out.indexOf("will allow")).isLessThan(out.indexOf("fetch release"));
      } else {
        assertThat(out).as(id).doesNotContain("will allow");
      }
      assertThat(out)
          .as(id)
          .contains("into jail " + jail + " (jail runtime")
          .contains("fetch release " + m.release())
          .contains("jail -f " + host.resolve("jails/" + jail + "/jail.conf") + " -c " + jail)
          .contains("path = '" + host.resolve("jails/" + jail + "/root") + "';");
      if (!m.pkgs().isEmpty()) {
        assertThat(out)
            .as(id)
            .contains("pkg -j " + jail + " install -y " + String.join(" ", m.pkgs()));
      }
      for (String repo : m.fingerprints().keySet()) {
        assertThat(out)
            .as(id)
            .contains("usr/local/etc/pkg/repos/" + repo + ".conf")
            .contains("url: \"" + m.packagesite() + "\"");
        for (int i = 1; i <= m.fingerprints().get(repo).size(); i++) {
          assertThat(out).as(id).contains("fingerprints/" + repo + "/trusted/" + repo + "." + i);
        }
      }
      for (String kmod : m.kmods()) {
        assertThat(out).as(id).contains("kldload -n " + kmod);
      }
      if (m.devfsRuleset().isPresent()) {
        assertThat(out)
            .as(id)
            .contains("devfs_ruleset = 1000;")
            .contains("devfs rule -s 1000 delset");
        for (String path : m.devfsRuleset().get().paths().keySet()) {
          assertThat(out)
              .as(id)
              .containsPattern(
                  "devfs rule -s 1000 add path '?" + java.util.regex.Pattern.quote(path) + "'? ");
        }
      } else if (m.properties().getOrDefault("dhcp", "0").equals("1")
          || m.properties().getOrDefault("bpf", "0").equals("1")) {
        // no devfs_ruleset in the manifest, but dhcp/bpf need bpf*: a ruleset of its own at start
        assertThat(out)
            .as(id)
            .contains("devfs_ruleset = 1000;")
            .containsPattern("devfs rule -s 1000 add path '?bpf\\*'? unhide");
      } else {
        assertThat(out).as(id).doesNotContain("devfs rule");
      }
      assertThat(out)
          .as(id)
          .containsPattern("jexec " + jail + " env '?IOCAGE_PLUGIN_IP=")
          .contains("/root/post_install.sh");
      // iocage's plugin defaults, which no sample overrides: own network stack, started at boot
      assertThat(out)
          .as(id)
          .contains("vnet = new;")
          .containsPattern("config.json \\{.*boot=1.*vnet=1");
      assertThat(host.resolve("jails")).doesNotExist();
    }
  }
}
