package org.warder.client.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.cli.PublishingRegistry;
import org.warder.client.team.TeamTargets;
import org.warder.client.testing.TestHost;
import org.warder.signing.Key;
import org.warder.signing.testing.CliRun;

/**
 * Issue 8 item 3: a bundle's config (and a pulled jail's or template's) is applied as if the local
 * administrator had typed it, so values that act on the host or weaken the jail are dropped and
 * listed unless the administrator names each key with {@code --allow-property}. Real bundles
 * between two real hosts, through files and through a real registry.
 */
class HostActingConfigTest {
  /**
   * What the exporting administrator set: every kind of host-acting and jail-weakening value, and
   * two harmless ones.
   */
  static final List<String> SET =
      List.of(
          "exec_prestart=/usr/local/bin/fw-open web",
          "exec_poststop=/usr/local/bin/fw-close web",
          "exec_fib=1",
          "devfs_ruleset=0",
          "securelevel=-1",
          "enforce_statfs=1",
          "children_max=2",
          "allow_raw_sockets=1",
          "ip4=inherit",
          "mount_procfs=1",
          "boot=1",
          "notes=front end");

  static final List<String> DROPPED =
      List.of(
          "warning: dropped allow_raw_sockets=1 from the bundle's config (weakens the jail); to keep it:"
              + " --allow-property allow_raw_sockets",
          "warning: dropped children_max=2 from the bundle's config (weakens the jail); to keep it:"
              + " --allow-property children_max",
          "warning: dropped devfs_ruleset=0 from the bundle's config (acts on the host); to keep it:"
              + " --allow-property devfs_ruleset",
          "warning: dropped enforce_statfs=1 from the bundle's config (weakens the jail); to keep it:"
              + " --allow-property enforce_statfs",
          "warning: dropped exec_fib=1 from the bundle's config (acts on the host); to keep it: --allow-property exec_fib",
          "warning: dropped exec_poststop=/usr/local/bin/fw-close web from the bundle's config (acts on the host); to keep"
              + " it: --allow-property exec_poststop",
          "warning: dropped exec_prestart=/usr/local/bin/fw-open web from the bundle's config (acts on the host); to keep"
              + " it: --allow-property exec_prestart",
          "warning: dropped ip4=inherit from the bundle's config (weakens the jail); to keep it: --allow-property ip4",
          "warning: dropped mount_procfs=1 from the bundle's config (weakens the jail); to keep it:"
              + " --allow-property mount_procfs",
          "warning: dropped securelevel=-1 from the bundle's config (weakens the jail); to keep it:"
              + " --allow-property securelevel");
  @TempDir Path tmp;

  static JsonNode config(TestHost host, String name) throws Exception {
    return new ObjectMapper()
        .readTree(host.root().resolve("jails/" + name + "/config.json").toFile());
  }

  static List<String> dropLines(CliRun run) {
    return run.err()
        .lines()
        .filter(l -> l.startsWith("warning: dropped") || l.startsWith("note: --allow"))
        .toList();
  }

  /** The config.json keys that are neither identity nor bookkeeping. */
  static List<String> settableKeys(JsonNode config) {
    List<String> keys = new ArrayList<>();
    config
        .fieldNames()
        .forEachRemaining(
            k -> {
              if (!List.of("name", "type", "release", "created", "remote", "remote_tag")
                  .contains(k)) {
                keys.add(k);
              }
            });
    return keys;
  }

  @Test
  void testImport_hostActingValuesDroppedAndListed_keptOnlyWhenEachIsNamed() throws Exception {
    TestHost a = new TestHost(tmp.resolve("a"));
    TestHost b = new TestHost(tmp.resolve("b"));
    List<String> create = new ArrayList<>(List.of("create", "-e", "-n", "web"));
    create.addAll(SET);
    a.ok(create.toArray(String[]::new));
    Path bundle = tmp.resolve("web.tar");
    a.ok("export", "web", "-o", bundle.toString());

    CliRun plain = b.ok("import", bundle.toString());
    assertThat(dropLines(plain)).containsExactlyElementsOf(DROPPED);
    assertThat(settableKeys(config(b, "web"))).containsExactly("boot", "notes");
    assertThat(b.ok("get", "exec_prestart", "web").out()).isEqualTo("/usr/bin/true\n");
    assertThat(b.ok("get", "devfs_ruleset", "web").out()).isEqualTo("4\n");

    // two keys named: those two kept, the rest still dropped; a named key the bundle lacks is said
    CliRun some =
        b.ok(
            "import",
            "-n",
            "web2",
            "--allow-property",
            "exec_prestart",
            "--allow-property",
            "securelevel",
            "--allow-property",
            "nat",
            bundle.toString());
    List<String> expected = new ArrayList<>(DROPPED);
    expected.removeIf(
        l ->
            l.contains("--allow-property exec_prestart")
                || l.contains("--allow-property securelevel"));
    expected.add(
        "note: --allow-property nat: the bundle's config does not set nat; nothing to allow");
    assertThat(dropLines(some)).containsExactlyElementsOf(expected);
    assertThat(settableKeys(config(b, "web2")))
        .containsExactly("boot", "exec_prestart", "notes", "securelevel");
    assertThat(b.ok("get", "exec_prestart", "web2").out())
        .isEqualTo("/usr/local/bin/fw-open web\n");

    // every key named: the config is the exporter's
    List<String> all = new ArrayList<>(List.of("import", "-n", "web3"));
    for (String kv : SET.subList(0, SET.size() - 2)) {
      all.addAll(List.of("--allow-property", kv.substring(0, kv.indexOf('='))));
    }
    all.add(bundle.toString());
    CliRun everything = b.ok(all.toArray(String[]::new));
    assertThat(dropLines(everything)).isEmpty();
    assertThat(settableKeys(config(b, "web3")))
        .containsExactlyElementsOf(settableKeys(config(a, "web")));
  }

  @Test
  void testImport_allowPropertyNamesOnlyKeysThatNeedConsent() throws Exception {
    TestHost b = new TestHost(tmp.resolve("b"));
    Path bundle = tmp.resolve("none.tar");
    CliRun unknown = b.warder("import", "--allow-property", "exec_prestrat", bundle.toString());
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err())
        .contains(
            "--allow-property exec_prestrat: expected a jail property name, found an"
                + " unknown key; did you mean exec_prestart");
    CliRun harmless = b.warder("import", "--allow-property", "boot", bundle.toString());
    assertThat(harmless.exitCode()).isEqualTo(2);
    assertThat(harmless.err())
        .contains(
            "--allow-property boot: boot never acts on the host or weakens the jail, so it"
                + " is always taken from a bundle");
    CliRun create = b.warder("create", "-e", "-n", "x", "--allow-property", "exec_prestart");
    assertThat(create.exitCode()).isEqualTo(2);
    assertThat(create.err())
        .contains("--allow-property applies to a template pulled from a registry");
    assertThat(b.root().resolve("jails/x")).doesNotExist();
  }

  @Test
  void testImport_ownDevfsRulesComeOnlyWithDevfsRuleset() throws Exception {
    TestHost a = new TestHost(tmp.resolve("a"));
    TestHost b = new TestHost(tmp.resolve("b"));
    a.ok("create", "-e", "-n", "plex", "devfs_ruleset=1000");
    Files.writeString(
        a.root().resolve("jails/plex/devfs.json"), "{\"paths\":{\"bpf*\":null},\"includes\":[]}\n");
    Path bundle = tmp.resolve("plex.tar");
    a.ok("export", "plex", "-o", bundle.toString());

    CliRun plain = b.ok("import", bundle.toString());
    assertThat(plain.err())
        .contains("warning: dropped devfs_ruleset=1000 from the bundle's config (acts on the host)")
        .contains(
            "warning: dropped the jail's own devfs rules (devfs.json) with devfs_ruleset; to keep them:"
                + " --allow-property devfs_ruleset");
    assertThat(b.root().resolve("jails/plex/devfs.json")).doesNotExist();
    b.ok("import", "-n", "plex2", "--allow-property", "devfs_ruleset", bundle.toString());
    assertThat(b.root().resolve("jails/plex2/devfs.json"))
        .hasSameTextualContentAs(a.root().resolve("jails/plex/devfs.json"));
    assertThat(b.ok("get", "devfs_ruleset", "plex2").out()).isEqualTo("1000\n");
  }

  @Test
  void testPullAndCreateFromTeamTemplate_sameRule() throws Exception {
    try (PublishingRegistry registry = new PublishingRegistry(tmp)) {
      Key key = registry.generateKey("acme");
      registry.registry.delegate(
          TeamTargets.role("acme"), key, TeamTargets.delegatedPaths("acme").toArray(String[]::new));
      registry.useToken("acme", TeamTargets.role("acme"));
      TestHost a = new TestHost(tmp.resolve("a"), registry.env);
      TestHost b = new TestHost(tmp.resolve("b"), registry.env);
      registry.addRepo(a.root());
      registry.addRepo(b.root());
      List<String> create = new ArrayList<>(List.of("create", "-e", "-n", "web"));
      create.addAll(SET);
      a.ok(create.toArray(String[]::new));
      a.ok("push", "web", "--repo", "main", "--as", "acme/web", "--key", "acme");

      // a dry run names the signed bundle and the import's steps, downloads and writes nothing
      assertThat(b.ok("pull", "acme/web", "--repo", "main", "--dry-run").out())
          .contains("download: jails/acme/web/")
          .contains(" bytes, sha256 ")
          .contains("import: stage (receive and verify every member), promote and adopt it as web")
          .contains("(--dry-run: acme/web was not pulled; nothing was written)");
      assertThat(b.root().resolve("jails/web")).doesNotExist();
      assertThat(b.warder("list", "-h").out()).doesNotContain("web\t");
      CliRun pulled = b.ok("pull", "acme/web", "--repo", "main");
      assertThat(dropLines(pulled)).containsExactlyElementsOf(DROPPED);
      assertThat(settableKeys(config(b, "web"))).containsExactly("boot", "notes");
      b.ok("pull", "acme/web", "--repo", "main", "-n", "web2", "--allow-property", "exec_poststop");
      assertThat(b.ok("get", "exec_poststop", "web2").out())
          .isEqualTo("/usr/local/bin/fw-close web\n");
      assertThat(b.ok("get", "exec_prestart", "web2").out()).isEqualTo("/usr/bin/true\n");

      // a team template: the same rule when create -t pulls it
      a.ok(
          "create",
          "-e",
          "-n",
          "base",
          "exec_prestart=/usr/local/bin/fw-open base",
          "allow_mlock=1");
      a.ok("set", "template=yes", "base");
      a.ok("push", "base", "--repo", "main", "--as", "acme/base", "--key", "acme");
      CliRun fromTemplate =
          b.ok("create", "-t", "main:acme/base", "-n", "web3", "--allow-property", "allow_mlock");
      assertThat(dropLines(fromTemplate))
          .containsExactly(
              "warning: dropped exec_prestart=/usr/local/bin/fw-open base"
                  + " from the bundle's config (acts on the host); to keep it: --allow-property exec_prestart");
      assertThat(b.ok("get", "allow_mlock", "acme_base").out()).isEqualTo("1\n");
      assertThat(b.ok("get", "exec_prestart", "acme_base").out()).isEqualTo("/usr/bin/true\n");
    }
  }
}
