package org.warder.client.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.cli.PublishingRegistry;
import org.warder.client.progress.ProgressListener;
import org.warder.client.publish.Destination;
import org.warder.client.publish.RegistryClient;
import org.warder.client.release.SyntheticRelease;
import org.warder.client.repo.RepoConfig;
import org.warder.client.repo.Repositories;
import org.warder.client.team.BundleKind;
import org.warder.client.team.BundlePublisher;
import org.warder.client.team.BundleSpec;
import org.warder.client.team.TeamTargets;
import org.warder.client.testing.BusyboxRoot;
import org.warder.client.testing.TreeSnapshot;
import org.warder.index.BundleManifest.Format;
import org.warder.signing.Key;
import org.warder.signing.testing.CliRun;

/**
 * Issue 8's "malicious colleague", end to end with real components: a team member with a valid key
 * and token sets up a jail on host A with every host-acting property and planted links, pushes it
 * signed to the team registry, and publishes forged bundles beside it. Host B pulls each one,
 * creates and starts the jail where it is accepted. Throughout, a "victim" directory standing for
 * the host's own files must stay byte-identical, nothing may be mounted outside B's root, and every
 * dropped or refused key must be reported.
 */
class MaliciousColleagueTest {
  static final String REL = "13.4-RELEASE";

  /** Set on host A by the colleague; each acts on the host or weakens the jail. */
  static final Map<String, String> HOSTILE = hostile();

  @TempDir static Path tmp;
  static PublishingRegistry registry;
  static Path victim;
  static Path hostA;

  static Map<String, String> hostile() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("exec_prestart", "/bin/sh -c 'touch /tmp/warder-victim-prestart'");
    m.put("exec_poststart", "/bin/sh -c 'touch /tmp/warder-victim-poststart'");
    m.put("exec_prestop", "/bin/sh -c 'touch /tmp/warder-victim-prestop'");
    m.put("exec_poststop", "/bin/sh -c 'touch /tmp/warder-victim-poststop'");
    m.put("exec_fib", "3");
    m.put("devfs_ruleset", "0");
    m.put("securelevel", "-1");
    m.put("enforce_statfs", "0");
    m.put("allow_mount", "1");
    m.put("allow_mount_nullfs", "1");
    m.put("allow_vmm", "1");
    m.put("children_max", "8");
    return m;
  }

  @BeforeAll
  static void setUp() throws Exception {
    BusyboxRoot.requireSandbox();
    registry = new PublishingRegistry(tmp);
    Key key = registry.generateKey("acme");
    registry.registry.delegate("releases", key, "releases/*/*/*");
    registry.registry.delegate(
        TeamTargets.role("acme"), key, TeamTargets.delegatedPaths("acme").toArray(String[]::new));
    registry.useToken("acme", "releases", TeamTargets.role("acme"));
    Path dist = tmp.resolve("dist");
    SyntheticRelease.write(dist, false, 4);
    ok(
        registry.publisherRoot,
        "publish",
        "release",
        REL,
        dist.toString(),
        "--repo",
        "main",
        "--key",
        "acme",
        "--arch",
        "amd64");

    victim = Files.createDirectories(tmp.resolve("victim"));
    Files.writeString(victim.resolve("localtime"), "the host's own localtime\n");
    Files.writeString(victim.resolve("resolv.conf"), "nameserver 192.0.2.53\n");
    Files.writeString(victim.resolve("console"), "the host's log\n");
    Files.createDirectories(victim.resolve("pkg/repos"));

    // the colleague's host: a jail with every host-acting property and links out of its root
    hostA = tmp.resolve("a");
    registry.addRepo(hostA);
    ok(hostA, "fetch", "-r", REL);
    ok(hostA, "create", "-r", REL, "-n", "evil");
    for (Map.Entry<String, String> e : HOSTILE.entrySet()) {
      ok(hostA, "set", e.getKey() + "=" + e.getValue(), "evil");
    }
    Path root = hostA.resolve("jails/evil/root");
    Files.createDirectories(root.resolve("usr/local/etc"));
    Files.deleteIfExists(root.resolve("etc/localtime"));
    Files.deleteIfExists(root.resolve("etc/resolv.conf"));
    Files.createSymbolicLink(root.resolve("etc/localtime"), victim.resolve("localtime"));
    Files.createSymbolicLink(root.resolve("etc/resolv.conf"), victim.resolve("resolv.conf"));
    Files.createSymbolicLink(root.resolve("usr/local/etc/pkg"), victim.resolve("pkg"));
    ok(hostA, "push", "evil", "--repo", "main", "--as", "acme/evil", "--key", "acme");
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void testPull_hostActingPropertiesDroppedAndListed_jailStartsAndHostUntouched() throws Exception {
    Path b = host("b");
    TreeSnapshot before = TreeSnapshot.of(victim);
    List<String> mountsBefore = mountsOutside(b);
    CliRun pull = ok(b, "pull", "acme/evil", "--repo", "main");
    String said = pull.out() + pull.err();
    for (Map.Entry<String, String> e : HOSTILE.entrySet()) {
      assertThat(said)
          .as(e.getKey())
          .contains("dropped " + e.getKey() + "=" + e.getValue())
          .contains("--allow-property " + e.getKey());
      assertThat(ok(b, "get", e.getKey(), "evil").out().strip())
          .as(e.getKey())
          .isNotEqualTo(e.getValue());
    }
    try {
      ok(b, "start", "evil");
      assertThat(ok(b, "exec", "evil", "echo", "inside").out()).isEqualTo("inside\n");
    } finally {
      ok(b, "stop", "evil");
    }
    assertHostUntouched(b, before, mountsBefore);
  }

  @Test
  void testPull_withConsentKeepsExactlyTheNamedKeys() throws Exception {
    Path c = host("c");
    ok(
        c,
        "pull",
        "acme/evil",
        "--repo",
        "main",
        "--allow-property",
        "children_max",
        "--allow-property",
        "securelevel");
    assertThat(ok(c, "get", "children_max", "evil").out().strip()).isEqualTo("8");
    assertThat(ok(c, "get", "securelevel", "evil").out().strip()).isEqualTo("-1");
    assertThat(ok(c, "get", "exec_prestart", "evil").out().strip())
        .isNotEqualTo(HOSTILE.get("exec_prestart"));
  }

  @Test
  void testPull_forgedJailDirectoryWithLinksRefused_hostUntouched() throws Exception {
    Path forged =
        forgeAndPublish(
            "evil2",
            forge ->
                forge.members.put(
                    "files.tar",
                    withEntries(
                        forge.members.get("files.tar"),
                        symlinkEntry("console.log", victim.resolve("console").toString()),
                        symlinkEntry("jail.conf", victim.resolve("localtime").toString()))));
    Path d = host("d");
    TreeSnapshot before = TreeSnapshot.of(victim);
    List<String> mountsBefore = mountsOutside(d);
    CliRun pull = registry.warder(d, "pull", "acme/evil2", "--repo", "main");
    assertThat(pull.exitCode()).as(pull.out() + pull.err()).isEqualTo(1);
    assertThat(pull.err())
        .containsAnyOf("console.log (a symbolic link", "jail.conf (a symbolic link")
        .contains("nothing was imported");
    assertThat(d.resolve("jails/evil2")).doesNotExist();
    CliRun imported = registry.warder(d, "import", forged.toString());
    assertThat(imported.exitCode()).as(imported.out() + imported.err()).isEqualTo(1);
    assertThat(d.resolve("jails/evil2")).doesNotExist();
    assertHostUntouched(d, before, mountsBefore);
  }

  @Test
  void testPull_forgedOriginPointingAtTheHostRefused() throws Exception {
    forgeAndPublish(
        "evil3",
        forge -> {
          ObjectNode manifest = forge.manifest();
          ((ObjectNode) manifest.get("config"))
              .put("origin", victim.toString())
              .put("basejail", "1");
          forge.manifest(manifest);
        });
    Path e = host("e");
    TreeSnapshot before = TreeSnapshot.of(victim);
    List<String> mountsBefore = mountsOutside(e);
    CliRun pull = registry.warder(e, "pull", "acme/evil3", "--repo", "main");
    assertThat(pull.exitCode()).as(pull.out() + pull.err()).isEqualTo(1);
    assertThat(pull.err())
        .contains("property origin: expected releases/<RELEASE> or templates/<TEMPLATE>")
        .contains(victim.toString());
    assertThat(e.resolve("jails/evil3")).doesNotExist();
    assertHostUntouched(e, before, mountsBefore);
  }

  /** An edit of the colleague's exported jail. */
  @FunctionalInterface
  private interface Forgery {
    void apply(BundleForge forge) throws Exception;
  }

  /**
   * Host A's jail exported, edited by {@code forgery}, renamed {@code name}, rehashed and published
   * signed.
   */
  private static Path forgeAndPublish(String name, Forgery forgery) throws Exception {
    Path exported = tmp.resolve(name + ".exported");
    ok(hostA, "export", "evil", "-o", exported.toString(), "--format", "tar", "--compress", "none");
    BundleForge forge = BundleForge.read(exported);
    forgery.apply(forge);
    ObjectNode manifest = forge.manifest();
    manifest.put("name", name);
    forge.manifest(manifest);
    forge.rehash();
    Path forged = tmp.resolve(name + ".bundle");
    forge.write(forged);
    publish(name, forged);
    return forged;
  }

  private static void publish(String name, Path bundle) throws Exception {
    Repositories repos = registry.repositories(registry.publisherRoot);
    RepoConfig main = repos.get("main");
    Destination to =
        new Destination(
            repos.updater(main),
            main.targetUrls(),
            new RegistryClient(main.url(), registry.env.get("WARDER_TOKEN")),
            registry.signingKey("acme"),
            ProgressListener.NONE);
    new BundlePublisher(Clock.systemUTC())
        .publish(
            new BundleSpec(BundleKind.JAIL, "acme", name, "1", REL, Format.TAR, Optional.empty()),
            bundle,
            to);
  }

  private static Path host(String name) {
    Path root = tmp.resolve(name);
    registry.addRepo(root);
    return root;
  }

  private static void assertHostUntouched(Path root, TreeSnapshot before, List<String> mountsBefore)
      throws Exception {
    assertThat(TreeSnapshot.of(victim)).isEqualTo(before);
    assertThat(mountsOutside(root)).isEqualTo(mountsBefore);
    for (String stage : List.of("prestart", "poststart", "prestop", "poststop")) {
      assertThat(Path.of("/tmp/warder-victim-" + stage)).doesNotExist();
    }
  }

  /** This process's mount table less the mounts under {@code root}. */
  private static List<String> mountsOutside(Path root) throws Exception {
    return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
        .filter(l -> !l.split(" ")[1].startsWith(root.toString()))
        .toList();
  }

  private static TarArchiveEntry symlinkEntry(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
    e.setLinkName(target);
    return e;
  }

  private static byte[] withEntries(byte[] tar, TarArchiveEntry... extra) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveInputStream in =
            new TarArchiveInputStream(new java.io.ByteArrayInputStream(tar));
        TarArchiveOutputStream o = new TarArchiveOutputStream(out)) {
      o.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      java.util.Set<String> replaced =
          java.util.Arrays.stream(extra)
              .map(TarArchiveEntry::getName)
              .collect(java.util.stream.Collectors.toSet());
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (replaced.contains(e.getName())) {
          continue;
        }
        o.putArchiveEntry(e);
        in.transferTo(o);
        o.closeArchiveEntry();
      }
      for (TarArchiveEntry e : extra) {
        o.putArchiveEntry(e);
        o.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  private static CliRun ok(Path root, String... args) {
    CliRun run = registry.warder(root, args);
    assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run.out() + run.err()).isZero();
    return run;
  }
}
