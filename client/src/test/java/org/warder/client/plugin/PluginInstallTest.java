package org.warder.client.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.progress.ConsoleProgress;
import org.warder.client.testing.BusyboxRoot;
import org.warder.client.testing.PkgSigningKey;
import org.warder.client.testing.PkgSite;
import org.warder.client.testing.RealPkg;
import org.warder.client.testing.RenameSwapper;
import org.warder.client.testing.TreeSnapshot;
import org.warder.client.testing.ZfsPool;
import org.warder.registry.storage.RegistryLayout;
import org.warder.signing.testing.CliRun;

/**
 * {@code warder fetch -P} end to end on Linux: a registry in-process publishing a release (a
 * busybox base whose {@code pkg} is FreeBSD's real pkg(8), {@link RealPkg}, reading the repository
 * configuration and fingerprints warder writes into the jail) and test plugins whose artifacts are
 * JGit repositories, their packages made with {@code pkg create} on a package site signed with a
 * test key ({@link PkgSite}); the install runs in the bubblewrap sandbox on directory storage and
 * on ZFS, {@code plugin update} upgrades the packages to newer versions and {@code plugin upgrade}
 * also moves the jail to a newer release published beside the first. Failures (a missing package,
 * post_install.sh exiting 1, a tampered bundle, the package site gone) leave nothing.
 */
class PluginInstallTest {
  static final String REL = "13.4-RELEASE";

  /** The release a later revision of a plugin moves to ({@code plugin upgrade}). */
  static final String NEXT_REL = "13.5-RELEASE";

  static final PersonIdent WHO = new PersonIdent("Plugin Author", "author@example.org");
  @TempDir static Path tmp;
  static PublishedPlugins plugins;
  static PkgSite packageSite;

  /** The key testrepo's catalogue is signed with, and the next one manifests also trust. */
  static PkgSigningKey signer;

  static PkgSigningKey nextKey;
  static final Map<String, PkgSite.TestPackage> PACKAGES = new TreeMap<>();
  static String goodCommit;
  static String bundleSha;

  @BeforeAll
  static void publish() throws Exception {
    BusyboxRoot.requireSandbox();
    plugins = new PublishedPlugins(tmp);
    RealPkg pkg = RealPkg.require();
    plugins.publishRealPkgRelease(tmp, REL, pkg, releaseMarks(REL));
    plugins.publishRealPkgRelease(tmp, NEXT_REL, pkg, releaseMarks(NEXT_REL));
    signer = PkgSigningKey.generate(tmp.resolve("pkg-keys"), "testrepo");
    nextKey = PkgSigningKey.generate(tmp.resolve("pkg-keys"), "testrepo-next");
    packageSite = PkgSite.serve(pkg, tmp.resolve("site"));
    publishPackage("testpkg", "1.0", "/usr/local/bin/testapp", "#!/bin/sh\necho testapp running\n");

    Path repo = tmp.resolve("src/iocage-plugin-testapp");
    goodCommit =
        artifact(
            repo,
            "echo \"post_install: IP=$WARDER_PLUGIN_IP compat=$IOCAGE_PLUGIN_IP\"\n"
                + "test -x /usr/local/bin/testapp\necho configured > /var/run/testapp.state\n");
    String failing =
        artifact(tmp.resolve("src/iocage-plugin-broken"), "echo \"about to fail\"\nexit 1\n");
    publishPlugin("testapp", repo, goodCommit, "[\"testpkg\"]");
    publishPlugin("missingpkg", repo, goodCommit, "[\"nope\"]");
    publishPlugin("brokenpost", tmp.resolve("src/iocage-plugin-broken"), failing, "[\"testpkg\"]");
    bundleSha =
        plugins
            .catalog(tmp.resolve("probe"))
            .resolve("acme/brokenpost")
            .bundle()
            .orElseThrow()
            .sha256()
            .orElseThrow();
  }

  @AfterAll
  static void stop() throws Exception {
    if (packageSite != null) {
      packageSite.close();
    }
    if (plugins != null) {
      plugins.close();
    }
  }

  /**
   * Files whose content names {@code release}: one in a base directory, which {@code plugin
   * upgrade} replaces, and one in /etc, which the jail keeps.
   */
  static Map<String, String> releaseMarks(String release) {
    return Map.of(
        "usr/share/misc/release", release + "\n", "etc/motd.template", "FreeBSD " + release + "\n");
  }

  /** Puts package {@code name} at {@code version} on testrepo, one executable in it. */
  static void publishPackage(String name, String version, String file, String content)
      throws Exception {
    PACKAGES.put(name, new PkgSite.TestPackage(name, version, Map.of(file, content)));
    packageSite.publish("testrepo", signer, List.copyOf(PACKAGES.values()));
  }

  static CliRun ok(Path root, String... args) {
    CliRun run = plugins.warder(root, args);
    assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run.out() + run.err()).isZero();
    return run;
  }

  static String artifact(Path dir, String postInstall) throws Exception {
    return artifact(dir, postInstall, "http://%%IP%%:8080/");
  }

  /** A plugin artifact repository: {@code postInstall}, an overlay and {@code adminPortal}. */
  static String artifact(Path dir, String postInstall, String adminPortal) throws Exception {
    Files.createDirectories(dir.resolve("overlay/usr/local/etc"));
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      Files.writeString(dir.resolve("post_install.sh"), "#!/bin/sh\n" + postInstall);
      Files.setPosixFilePermissions(
          dir.resolve("post_install.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.writeString(dir.resolve("ui.json"), "{\"adminportal\": \"" + adminPortal + "\"}\n");
      Files.writeString(dir.resolve("overlay/usr/local/etc/testapp.conf"), "listen = 8080\n");
      git.add().addFilepattern(".").call();
      RevCommit c =
          git.commit().setMessage("plugin").setAuthor(WHO).setCommitter(WHO).setSign(false).call();
      return c.name();
    }
  }

  static void publishPlugin(String id, Path repo, String commit, String pkgs) throws Exception {
    publishPlugin(id, repo, commit, pkgs, 1);
  }

  static void publishPlugin(String id, Path repo, String commit, String pkgs, int revision)
      throws Exception {
    publishPlugin(id, repo, commit, pkgs, revision, REL);
  }

  /**
   * Publishes revision {@code revision} of plugin {@code id}, its manifest naming {@code release}.
   */
  static void publishPlugin(
      String id, Path repo, String commit, String pkgs, int revision, String release)
      throws Exception {
    Path manifest = tmp.resolve("manifests/" + id + "-" + revision + ".json");
    Files.createDirectories(manifest.getParent());
    Files.writeString(
        manifest,
        """
        {"name": "Test %s", "release": "%s", "artifact": "https://git.example.org/%s.git",
         "pkgs": %s, "packagesite": "%s",
         "fingerprints": {"testrepo": [{"function": "sha256", "fingerprint": "%s"},
                                       {"function": "sha256", "fingerprint": "%s"}]},
         "properties": {"ip4": "inherit", "allow_raw_sockets": 1}, "official": false, "revision": %d,
         "devfs_ruleset": {"paths": {"bpf*": null, "dri/*": "mode 0660"}, "includes": []}}
        """
            .formatted(
                id,
                release,
                repo.getFileName(),
                pkgs,
                packageSite.packagesite("testrepo"),
                signer.fingerprint(),
                nextKey.fingerprint(),
                revision));
    plugins.publishPlugin(manifest, id, repo, commit);
  }

  /**
   * Publishes plugin {@code id}: the testapp artifact, package testpkg, and {@code extra} manifest
   * keys.
   */
  static void publishManifest(String id, int revision, String extra) throws Exception {
    Path manifest = tmp.resolve("manifests/" + id + "-" + revision + ".json");
    Files.createDirectories(manifest.getParent());
    Files.writeString(
        manifest,
        """
        {"name": "Test %s", "release": "%s", "artifact": "https://git.example.org/iocage-plugin-testapp.git",
         "pkgs": ["testpkg"], "packagesite": "%s",
         "fingerprints": {"testrepo": [{"function": "sha256", "fingerprint": "%s"}]}, "revision": %d, %s}
        """
            .formatted(
                id,
                REL,
                packageSite.packagesite("testrepo"),
                signer.fingerprint(),
                revision,
                extra));
    plugins.publishPlugin(manifest, id, tmp.resolve("src/iocage-plugin-testapp"), goodCommit);
  }

  private Path host(String name) {
    Path root = tmp.resolve(name);
    plugins.addRepo(root);
    return root;
  }

  private void install(Path root, String jail) throws Exception {
    try {
      CliRun run = ok(root, "fetch", "-P", "acme/testapp", "-n", jail, "vnet=0");
      assertThat(run.out())
          .contains("post_install: IP=127.0.0.1 compat=127.0.0.1")
          .contains("testrepo repository update completed.")
          .contains("[1/1] Installing testpkg-1.0...")
          .contains("Admin Portal: http://127.0.0.1:8080/");
      long baseTxz = Files.size(PublishedPlugins.dist(tmp, REL).resolve("base.txz"));
      assertThat(run.err()) // the release's download reports its bytes, not "base.txz: 0 B"
          .contains("base.txz (" + ConsoleProgress.bytes(baseTxz) + ") ...")
          .contains("base.txz: " + ConsoleProgress.bytes(baseTxz) + " in ");
      assertThat(
              run.out().lines().filter(l -> l.startsWith("step times: ")).findFirst().orElseThrow())
          .matches(
              "step times: resolve \\d+\\.\\d\\ds, allow \\d+\\.\\d\\ds, release \\d+\\.\\d\\ds, create .*, devfs .*, pkg-config .*, kmods .*, start .*, "
                  + "pkg .*, artifact .*, post_install .*, record \\d+\\.\\d\\ds");
      Path jailRoot = root.resolve("jails/" + jail + "/root");
      assertThat(jailRoot.resolve("usr/local/bin/testapp")).exists();
      assertThat(jailRoot.resolve("usr/local/etc/testapp.conf")).hasContent("listen = 8080");
      assertThat(jailRoot.resolve("var/run/testapp.state")).hasContent("configured");
      assertThat(jailRoot.resolve("usr/local/etc/pkg/repos/testrepo.conf"))
          .content()
          .contains("url: \"" + packageSite.packagesite("testrepo") + "\"")
          .contains("signature_type: \"fingerprints\"");
      try (var trusted =
          Files.list(jailRoot.resolve("usr/local/etc/pkg/fingerprints/testrepo/trusted"))) {
        assertThat(
                trusted.map(
                    p -> {
                      try {
                        return Files.readString(p);
                      } catch (Exception e) {
                        throw new RuntimeException(e);
                      }
                    }))
            .hasSize(2)
            .anyMatch(c -> c.contains(signer.fingerprint()))
            .anyMatch(c -> c.contains(nextKey.fingerprint()));
      }
      assertThat(ok(root, "list", "-h").out())
          .contains("\t" + jail + "\tup\t" + REL)
          .contains("\tplugin\n");
      assertThat(ok(root, "list", "-P", "-h").out())
          .startsWith(jail + "\tacme/testapp\t1\t" + goodCommit + "\tup\t");
      assertThat(ok(root, "exec", jail, "testapp").out()).isEqualTo("testapp running\n");
      assertThat(run.out())
          .contains(jail + ": devfs ruleset 1000 of its own (2 path rule(s) from the manifest)")
          .contains("devfs: recorded for jail(8)");
      assertThat(ok(root, "get", "devfs_ruleset", jail).out().strip()).isEqualTo("1000");
      assertThat(root.resolve("jails/" + jail + "/devfs.json"))
          .content()
          .contains("\"dri/*\" : \"mode 0660\"");
    } finally {
      plugins.warder(root, "stop", jail);
    }
  }

  @Test
  void testInstall_onDirectoryStorage() throws Exception {
    install(host("dirhost"), "app1");
  }

  /** What a test does on a host whose storage is a fresh ZFS pool. */
  @FunctionalInterface
  interface ZfsHostTest {
    void run(Path root, ZfsPool pool) throws Exception;
  }

  /**
   * Runs {@code test} on the host at tmp/{@code name}, activated on a new pool, and stops {@code
   * jail} before the pool goes.
   */
  private static void onZfs(String name, String jail, ZfsHostTest test) throws Exception {
    Path root = tmp.resolve(name);
    try (ZfsPool pool = ZfsPool.create(tmp, 384)) {
      try {
        ok(root, "activate", pool.name() + "/warder");
        plugins.addRepo(root);
        test.run(root, pool);
      } finally {
        plugins.warder(root, "stop", jail);
      }
    }
  }

  @Test
  void testInstall_onZfs() throws Exception {
    onZfs(
        "zfshost",
        "app2",
        (root, pool) -> {
          install(root, "app2");
          assertThat(pool.datasets()).contains(pool.name() + "/warder/jails/app2/root");
        });
  }

  /**
   * Issue 5: host A installs the plugin and pushes the jail through the registry; host B pulls it
   * and the trees are identical; it starts and runs there.
   */
  private void moveBetweenHosts(Path a, Path b, String jail) throws Exception {
    install(a, jail);
    String pushed =
        ok(a, "push", jail, "--repo", "main", "--as", "acme/" + jail, "--key", "acme").out();
    assertThat(pushed).contains("pushed jail " + jail + " as acme/" + jail + ":1 (full)");
    TreeSnapshot before = TreeSnapshot.of(a.resolve("jails/" + jail + "/root"));
    // a plugin jail's root is whole (not a base jail): B needs no release to run it
    assertThat(ok(b, "pull", "acme/" + jail, "--repo", "main").out())
        .contains("pulled acme/" + jail + " as jail " + jail);
    assertThat(b.resolve("releases")).doesNotExist();
    assertThat(TreeSnapshot.of(b.resolve("jails/" + jail + "/root"))).isEqualTo(before);
    assertThat(b.resolve("jails/" + jail + "/plugin.json"))
        .hasSameTextualContentAs(a.resolve("jails/" + jail + "/plugin.json"));
    assertThat(ok(b, "get", "remote", jail).out().strip()).isEqualTo("main:acme/" + jail);
    try {
      ok(b, "start", jail);
      assertThat(ok(b, "exec", jail, "testapp").out()).isEqualTo("testapp running\n");
      assertThat(ok(b, "list", "-P", "-h").out())
          .startsWith(jail + "\tacme/testapp\t1\t" + goodCommit + "\tup\t");
    } finally {
      plugins.warder(b, "stop", jail);
    }
  }

  @Test
  void testPushPull_pluginJailBetweenDirectoryHosts() throws Exception {
    moveBetweenHosts(host("move-a"), host("move-b"), "moved1");
  }

  @Test
  void testPushPull_pluginJailBetweenZfsHosts() throws Exception {
    Path a = tmp.resolve("zmove-a");
    Path b = tmp.resolve("zmove-b");
    try (ZfsPool poolA = ZfsPool.create(tmp, 384);
        ZfsPool poolB = ZfsPool.create(tmp, 384)) {
      try {
        ok(a, "activate", poolA.name() + "/warder");
        ok(b, "activate", poolB.name() + "/warder");
        plugins.addRepo(a);
        plugins.addRepo(b);
        moveBetweenHosts(a, b, "moved2");
        assertThat(poolB.datasets()).contains(poolB.name() + "/warder/jails/moved2/root");
      } finally {
        plugins.warder(a, "stop", "moved2");
        plugins.warder(b, "stop", "moved2");
      }
    }
  }

  private void assertRolledBack(Path root, CliRun run, String step, String detail)
      throws Exception {
    assertThat(run.exitCode()).isEqualTo(1);
    List<String> errors = run.err().lines().filter(l -> l.startsWith("warder: ")).toList();
    assertThat(errors).singleElement().asString().contains("step '" + step + "'").contains(detail);
    assertThat(root.resolve("jails"))
        .satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
    List<String> bwraps = new ArrayList<>();
    ProcessHandle.allProcesses()
        .forEach(
            p ->
                p.info()
                    .commandLine()
                    .filter(c -> c.contains(root.toString()))
                    .ifPresent(bwraps::add));
    assertThat(bwraps).isEmpty();
  }

  @Test
  void testInstall_missingPackageRollsBackEverythingIncludingTheRelease() throws Exception {
    Path root = host("missing");
    CliRun run = plugins.warder(root, "fetch", "-P", "missingpkg", "vnet=0");
    assertRolledBack(root, run, "pkg", "No packages available to install matching 'nope'");
    assertThat(root.resolve("releases/" + REL)).doesNotExist();
  }

  @Test
  void testInstall_postInstallFailureShowsItsLastLines() throws Exception {
    Path root = host("broken");
    CliRun run = plugins.warder(root, "fetch", "-P", "brokenpost", "vnet=0");
    assertRolledBack(root, run, "post_install", "about to fail");
    assertThat(run.out()).contains("about to fail");
  }

  @Test
  void testInstall_tamperedBundleRefused() throws Exception {
    Path root = host("tampered");
    Path blob = new RegistryLayout(tmp.resolve("registry")).blob(bundleSha).orElseThrow();
    byte[] saved = Files.readAllBytes(blob);
    byte[] bytes = saved.clone();
    bytes[bytes.length / 2] ^= 1;
    blob.toFile().setWritable(true);
    Files.write(blob, bytes);
    try {
      CliRun run = plugins.warder(root, "fetch", "-P", "brokenpost", "vnet=0");
      assertRolledBack(root, run, "artifact", "expected sha256 " + bundleSha);
      try (var cache = Files.walk(root.resolve("repos/main/cache"))) {
        assertThat(cache.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
            .noneMatch(n -> n.contains(bundleSha));
      }
    } finally {
      Files.write(blob, saved);
    }
  }

  @Test
  void testInstall_packageSiteGoneMidInstall() throws Exception {
    Path root = host("offline");
    ok(root, "fetch", "-r", REL, "--arch", "amd64", "--repo", "main");
    packageSite.close();
    try {
      CliRun run = plugins.warder(root, "fetch", "-P", "acme/testapp", "vnet=0");
      assertRolledBack(root, run, "pkg", "Unable to update repository testrepo");
      assertThat(run.err()).contains("latest/meta.txz: Connection refused");
      assertThat(root.resolve("releases/" + REL + "/root/bin/busybox"))
          .exists(); // fetched before: kept
    } finally {
      packageSite.restart();
    }
  }

  /**
   * Adds a commit with {@code files} (path → content, scripts executable) to an artifact
   * repository.
   */
  static String commit(Path dir, Map<String, String> files) throws Exception {
    try (Git git = Git.open(dir.toFile())) {
      for (Map.Entry<String, String> f : files.entrySet()) {
        Path file = dir.resolve(f.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, f.getValue());
        if (f.getKey().endsWith(".sh")) {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
      }
      git.add().addFilepattern(".").call();
      return git.commit()
          .setMessage("update")
          .setAuthor(WHO)
          .setCommitter(WHO)
          .setSign(false)
          .call()
          .name();
    }
  }

  /**
   * A plugin installed for an update test: its artifact repository, and its own package (upgraded
   * by that test only) whose program prints its version.
   */
  record OwnPackagePlugin(Path repo, String pkg, String bin, String pkgs) {
    /**
     * Publishes revision 1 of plugin {@code id} with package {@code id-app} 1.0 and installs it as
     * {@code jail} on the host at {@code root}.
     */
    static OwnPackagePlugin install(Path root, String id, String jail) throws Exception {
      String pkg = id + "-app";
      OwnPackagePlugin p =
          new OwnPackagePlugin(
              tmp.resolve("src/" + id), pkg, "/usr/local/bin/" + pkg, "[\"" + pkg + "\"]");
      String first = artifact(p.repo, "echo installed > /var/run/rev\n");
      p.publishPackage("1.0");
      publishPlugin(id, p.repo, first, p.pkgs, 1);
      ok(root, "fetch", "-P", "acme/" + id, "-n", jail, "vnet=0");
      assertThat(ok(root, "exec", jail, pkg).out()).isEqualTo(pkg + " 1.0\n");
      return p;
    }

    /** Puts the package at {@code version} on testrepo. */
    void publishPackage(String version) throws Exception {
      PluginInstallTest.publishPackage(
          pkg, version, bin, "#!/bin/sh\necho " + pkg + " " + version + "\n");
    }
  }

  private void updateAndRollBack(Path root, String id, String jail, String rollbackMessage)
      throws Exception {
    try {
      OwnPackagePlugin plugin = OwnPackagePlugin.install(root, id, jail);
      Path repo = plugin.repo();
      String pkg = plugin.pkg();
      String pkgs = plugin.pkgs();
      Path jailRoot = root.resolve("jails/" + jail + "/root");
      String second =
          commit(
              repo,
              Map.of(
                  "post_update.sh",
                  "#!/bin/sh\necho 2 > /var/run/rev\necho post_update ran\n",
                  "overlay/usr/local/etc/testapp.conf",
                  "listen = 9090\n"));
      publishPlugin(id, repo, second, pkgs, 2);
      plugin.publishPackage("2.0");
      Path jailDir = root.resolve("jails/" + jail);
      TreeSnapshot before = TreeSnapshot.of(jailDir);
      String listed = ok(root, "list", "-P", "-h").out();
      CliRun plan = ok(root, "plugin", "update", jail, "--dry-run");
      assertThat(plan.out())
          .startsWith("Plan for updating " + jail + " to acme/" + id + " revision 2:\n")
          .containsSubsequence(
              "snapshot: ",
              "pkg-config: ",
              "pre_update: ",
              "pkg: in jail " + jail + ", with ASSUME_ALWAYS_YES=yes: pkg upgrade -y " + pkg,
              "check out commit " + second,
              "post_update: ",
              "record: ")
          .endsWith("(--dry-run: nothing was run or written)\n")
          .doesNotContain("post_update ran");
      assertThat(ok(root, "plugin", "upgrade", jail, "--dry-run").out())
          .startsWith("Plan for upgrading " + jail + " to acme/" + id + " revision 2:\n");
      assertThat(TreeSnapshot.of(jailDir)).as("the dry runs changed nothing").isEqualTo(before);
      assertThat(ok(root, "list", "-P", "-h").out()).isEqualTo(listed).contains("\tup");
      CliRun update = ok(root, "plugin", "update", jail);
      assertThat(update.out())
          .contains("Installed packages to be UPGRADED:")
          .contains(pkg + ": 1.0 -> 2.0")
          .contains("post_update ran")
          .contains(jail + " is at acme/" + id + " revision 2");
      assertThat(ok(root, "exec", jail, pkg).out()).isEqualTo(pkg + " 2.0\n");
      assertThat(ok(root, "pkg", jail, "info", pkg).out()).contains("Version        : 2.0");
      assertThat(jailRoot.resolve("var/run/rev")).hasContent("2");
      assertThat(jailRoot.resolve("usr/local/etc/testapp.conf")).hasContent("listen = 9090");
      assertThat(ok(root, "list", "-P", "-h").out())
          .contains(jail + "\tacme/" + id + "\t2\t" + second + "\tup");

      String third =
          commit(
              repo,
              Map.of(
                  "pre_update.sh",
                  "#!/bin/sh\necho 3 > /var/run/rev3-pre\n",
                  "post_update.sh",
                  "#!/bin/sh\necho breaking\nexit 1\n"));
      publishPlugin(id, repo, third, pkgs, 3);
      plugin.publishPackage("3.0");
      CliRun failed = plugins.warder(root, "plugin", "update", jail);
      assertThat(failed.exitCode()).isEqualTo(1);
      assertThat(failed.err()).contains("step 'post_update'").contains("breaking");
      assertThat(failed.out()).contains(rollbackMessage);
      assertThat(jailRoot.resolve("var/run/rev3-pre")).doesNotExist();
      assertThat(jailRoot.resolve("var/run/rev")).hasContent("2");
      assertThat(failed.out())
          .as("pkg upgraded before post_update failed")
          .contains(pkg + ": 2.0 -> 3.0");
      assertThat(ok(root, "exec", jail, pkg).out()).as("rolled back").isEqualTo(pkg + " 2.0\n");
      assertThat(ok(root, "pkg", jail, "info", pkg).out()).contains("Version        : 2.0");
      assertThat(ok(root, "list", "-P", "-h").out())
          .contains(jail + "\tacme/" + id + "\t2\t" + second + "\tup");
      assertThat(root.resolve("jails/" + jail + "/plugin/post_update.sh"))
          .content()
          .contains("post_update ran");
    } finally {
      plugins.warder(root, "stop", jail);
    }
  }

  @Test
  void testUpdate_onDirectoryStorageCopiesAndRestores() throws Exception {
    updateAndRollBack(host("dirupdate"), "upddir", "upd1", "restored upd1 from its copy");
  }

  @Test
  void testUpdate_onZfsSnapshotsAndRollsBack() throws Exception {
    onZfs(
        "zfsupdate",
        "upd2",
        (root, pool) ->
            updateAndRollBack(root, "updzfs", "upd2", "rolled upd2 back to its snapshot"));
  }

  /**
   * Issue 14: revision 2 of a plugin names a newer release and a newer package. {@code plugin
   * update} refuses and changes nothing; {@code plugin upgrade} fetches the release from the
   * registry, moves the jail's base directories to it (keeping /etc, /usr/local and /var), and real
   * pkg upgrades the package. A later revision naming an older release is refused.
   */
  private void upgradeAndRefuseOlder(Path root, String id, String jail) throws Exception {
    try {
      OwnPackagePlugin plugin = OwnPackagePlugin.install(root, id, jail);
      Path repo = plugin.repo();
      String pkg = plugin.pkg();
      String pkgs = plugin.pkgs();
      Path jailDir = root.resolve("jails/" + jail);
      Path jailRoot = jailDir.resolve("root");
      assertThat(jailRoot.resolve("usr/share/misc/release")).hasContent(REL);

      String second =
          commit(
              repo,
              Map.of("post_update.sh", "#!/bin/sh\necho 2 > /var/run/rev\necho post_update ran\n"));
      publishPlugin(id, repo, second, pkgs, 2, NEXT_REL);
      plugin.publishPackage("2.0");
      TreeSnapshot before = TreeSnapshot.of(jailDir);
      String listed = ok(root, "list", "-P", "-h").out();

      CliRun update = plugins.warder(root, "plugin", "update", jail);
      assertThat(update.exitCode()).isEqualTo(1);
      assertThat(update.err())
          .contains(
              "acme/"
                  + id
                  + " now needs release "
                  + NEXT_REL
                  + " but "
                  + jail
                  + " runs "
                  + REL
                  + "; run 'warder plugin upgrade "
                  + jail
                  + "' to move it");
      assertThat(TreeSnapshot.of(jailDir)).as("the refused update").isEqualTo(before);

      CliRun plan = ok(root, "plugin", "upgrade", jail, "--dry-run");
      assertThat(plan.out())
          .startsWith("Plan for upgrading " + jail + " to acme/" + id + " revision 2:\n")
          .containsSubsequence(
              "snapshot: ",
              "upgrade: in jail " + jail + ": /bin/sh -c '/bin/sh /etc/rc.shutdown'",
              "upgrade: fetch release " + NEXT_REL + " when missing, and move " + jail + " to it",
              "pkg-config: ",
              "start: ",
              "pre_update: ",
              "pkg: in jail " + jail + ", with ASSUME_ALWAYS_YES=yes: pkg upgrade -y " + pkg,
              "check out commit " + second,
              "post_update: ",
              "record: ")
          .endsWith("(--dry-run: nothing was run or written)\n");
      assertThat(TreeSnapshot.of(jailDir)).as("the dry run").isEqualTo(before);
      assertThat(root.resolve("releases/" + NEXT_REL)).doesNotExist();
      assertThat(ok(root, "list", "-P", "-h").out()).isEqualTo(listed).contains("\tup");

      CliRun upgrade = ok(root, "plugin", "upgrade", jail);
      assertThat(upgrade.out())
          .containsSubsequence(
              jail + " stopped\n" + jail + " moved to release " + NEXT_REL + "\n",
              jail + " started",
              "Installed packages to be UPGRADED:",
              pkg + ": 1.0 -> 2.0",
              "post_update ran",
              jail + " is at acme/" + id + " revision 2");
      assertThat(ok(root, "get", "release", jail).out().strip()).isEqualTo(NEXT_REL);
      assertThat(ok(root, "list", "-h").out()).contains("\t" + jail + "\tup\t" + NEXT_REL);
      assertThat(jailRoot.resolve("usr/share/misc/release")).hasContent(NEXT_REL);
      assertThat(jailRoot.resolve("etc/motd.template")).hasContent("FreeBSD " + REL);
      assertThat(jailRoot.resolve("usr/local/etc/testapp.conf")).hasContent("listen = 8080");
      assertThat(jailRoot.resolve("var/run/rev")).hasContent("2");
      assertThat(ok(root, "exec", jail, "cat", "/usr/share/misc/release").out())
          .isEqualTo(NEXT_REL + "\n");
      assertThat(ok(root, "exec", jail, pkg).out()).isEqualTo(pkg + " 2.0\n");
      assertThat(ok(root, "pkg", jail, "info", pkg).out()).contains("Version        : 2.0");
      assertThat(ok(root, "list", "-P", "-h").out())
          .contains(jail + "\tacme/" + id + "\t2\t" + second + "\tup");

      // a revision naming an older release, of the same major version or an older one
      int revision = 3;
      for (String older : List.of("13.3-RELEASE", "12.4-RELEASE")) {
        publishPlugin(id, repo, second, pkgs, revision++, older);
        TreeSnapshot upgraded = TreeSnapshot.of(jailDir);
        String shown = ok(root, "list", "-P", "-h").out();
        CliRun back = plugins.warder(root, "plugin", "upgrade", jail);
        assertThat(back.exitCode()).as(older).isEqualTo(1);
        assertThat(back.err())
            .as(older)
            .contains("refusing to move " + jail + " back from " + NEXT_REL + " to " + older);
        assertThat(back.out()).as(older).doesNotContain("snapshot");
        assertThat(TreeSnapshot.of(jailDir)).as(older).isEqualTo(upgraded);
        assertThat(ok(root, "list", "-P", "-h").out()).as(older).isEqualTo(shown);
        assertThat(root.resolve("releases/" + older)).as(older).doesNotExist();
      }
    } finally {
      plugins.warder(root, "stop", jail);
    }
  }

  @Test
  void testUpgrade_onDirectoryStorageMovesTheJailToTheNewerRelease() throws Exception {
    upgradeAndRefuseOlder(host("upgrade"), "upgdir", "upg1");
  }

  @Test
  void testUpgrade_onZfsMovesTheJailToTheNewerRelease() throws Exception {
    onZfs("zfsupgrade", "upg2", (root, pool) -> upgradeAndRefuseOlder(root, "upgzfs", "upg2"));
  }

  /** A manifest that weakens the jail, the start of its refusal, and the flag that allows it. */
  record Hostile(String id, String extra, String asked, String flag, String value) {
    static Hostile device(String id, String path) {
      return new Hostile(
          id,
          "\"properties\": {\"ip4\": \"inherit\"}, "
              + "\"devfs_ruleset\": {\"paths\": {\""
              + path
              + "\": null, \"bpf*\": null}, \"includes\": []}",
          "devfs_ruleset.paths '" + path + "' (host devices made visible in the jail)",
          "--allow-device",
          path);
    }

    static Hostile property(String id, String key, String value) {
      return new Hostile(
          id,
          "\"properties\": {\"ip4\": \"inherit\", \"" + key + "\": \"" + value + "\"}",
          "properties." + key + "=" + value,
          "--allow-property",
          key);
    }

    String needs() {
      return asked
          + " needs "
          + flag
          + (flag.equals("--allow-device") ? " '" + value + "'" : " " + value);
    }
  }

  /**
   * Issue 8 item 5: a manifest asking for every device, mem, kmem, io, securelevel=-1,
   * enforce_statfs=0, allow_mount_*, children_max, allow_vmm or the vmm module is refused before
   * anything is made, naming the key and the flag; with that flag the plan shows the grant first.
   */
  @Test
  void testInstall_manifestsThatWeakenTheJailRefusedBeforeAnythingIsMade() throws Exception {
    List<Hostile> cases =
        List.of(
            Hostile.device("evil-alldev", "*"),
            Hostile.device("evil-mem", "mem"),
            Hostile.device("evil-kmem", "kmem"),
            Hostile.device("evil-io", "io"),
            Hostile.property("evil-insecure", "securelevel", "-1"),
            Hostile.property("evil-statfs", "enforce_statfs", "0"),
            Hostile.property("evil-mount", "allow_mount_zfs", "1"),
            Hostile.property("evil-children", "children_max", "5"),
            Hostile.property("evil-vmm", "allow_vmm", "1"),
            new Hostile(
                "evil-kmod",
                "\"kmods\": [\"linux64\", \"vmm\"]",
                "kmods vmm (a kernel module loaded on the host)",
                "--allow-kmod",
                "vmm"));
    Path root = host("hostile");
    for (Hostile h : cases) {
      publishManifest(h.id(), 1, h.extra());
      CliRun refused = plugins.warder(root, "fetch", "-P", "acme/" + h.id(), "vnet=0");
      assertThat(refused.exitCode()).as(h.id()).isEqualTo(1);
      assertThat(refused.err())
          .as(h.id())
          .contains(
              "plugin install failed at step 'allow': plugin acme/"
                  + h.id()
                  + " asks for more than a plugin gets by default, so nothing was made: "
                  + h.needs());
      assertThat(refused.out()).doesNotContain("will allow");
      assertThat(root.resolve("jails")).as(h.id()).doesNotExist();
      assertThat(root.resolve("releases")).as(h.id()).doesNotExist();

      CliRun plan =
          ok(
              root,
              "--runtime",
              "freebsd",
              "fetch",
              "-P",
              "acme/" + h.id(),
              "--dry-run",
              h.flag(),
              h.value());
      String grant =
          "allow: will allow: "
              + h.asked()
              + ", granted by "
              + h.needs().substring(h.needs().indexOf("--allow"));
      assertThat(plan.out()).as(h.id()).contains(grant);
      assertThat(plan.out().indexOf(grant)).isLessThan(plan.out().indexOf("fetch release"));
      assertThat(root.resolve("jails")).doesNotExist();
    }
    assertThat(
            ok(
                    root,
                    "--runtime",
                    "freebsd",
                    "fetch",
                    "-P",
                    "acme/evil-kmod",
                    "--dry-run",
                    "--allow-kmod",
                    "vmm")
                .out())
        .contains("kldload -n linux64")
        .contains("kldload -n vmm");
    CliRun path =
        plugins.warder(root, "plugin", "install", "acme/evil-kmod", "--allow-kmod", "/tmp/evil.ko");
    assertThat(path.exitCode()).isEqualTo(2);
    assertThat(path.err())
        .contains("--allow-kmod: expected a kernel module name such as vmm (never a path");
    CliRun release = plugins.warder(root, "fetch", "-r", REL, "--allow-property", "securelevel");
    assertThat(release.exitCode()).isEqualTo(2);
    assertThat(release.err())
        .contains("--allow-device, --allow-kmod and --allow-property only apply with -P");
    assertThat(root.resolve("jails")).doesNotExist();
    assertThat(root.resolve("releases")).doesNotExist();

    // a real install with the flag says what it allows before anything runs; an update needs the
    // flag again
    try {
      CliRun granted =
          ok(
              root,
              "fetch",
              "-P",
              "acme/evil-alldev",
              "-n",
              "granted",
              "--allow-device",
              "*",
              "vnet=0");
      String line =
          "will allow: devfs_ruleset.paths '*' (host devices made visible in the jail), granted by --allow-device '*'";
      assertThat(granted.out()).contains(line);
      assertThat(granted.out().indexOf(line)).isLessThan(granted.out().indexOf("checked out"));
      assertThat(root.resolve("jails/granted/devfs.json")).content().contains("\"*\"");
      publishManifest("evil-alldev", 2, Hostile.device("evil-alldev", "*").extra());
      CliRun update = plugins.warder(root, "plugin", "update", "granted");
      assertThat(update.exitCode()).isEqualTo(1);
      assertThat(update.err()).contains("step 'allow'").contains("needs --allow-device '*'");
      assertThat(update.out()).doesNotContain("snapshot");
      assertThat(ok(root, "plugin", "update", "granted", "--allow-device", "*").out())
          .contains(line)
          .contains("granted is at acme/evil-alldev revision 2");
    } finally {
      plugins.warder(root, "stop", "granted");
    }
  }

  @Test
  void testInstall_refusedManifestLeavesNoDatasetOnZfs() throws Exception {
    Path root = tmp.resolve("zfshostile");
    try (ZfsPool pool = ZfsPool.create(tmp, 256)) {
      ok(root, "activate", pool.name() + "/warder");
      plugins.addRepo(root);
      publishManifest("evil-zfs", 1, Hostile.property("evil-zfs", "securelevel", "-1").extra());
      List<String> before = pool.datasets();
      CliRun refused = plugins.warder(root, "fetch", "-P", "acme/evil-zfs", "vnet=0");
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.err())
          .contains("properties.securelevel=-1 needs --allow-property securelevel");
      assertThat(pool.datasets()).isEqualTo(before);
    }
  }

  /**
   * Issue 8 item 6: the plugin's pre_update.sh leaves processes in the jail that exchange
   * usr/local/etc/pkg/repos and the overlay's target directory with links to a host directory in a
   * loop (renameat2 RENAME_EXCHANGE, a static C program shipped in the overlay, detached so that it
   * outlives the script); plugin update runs again and again. Whatever each update ends in (done,
   * or refused and rolled back), no file appears or changes in the host directory.
   */
  @Test
  void testUpdate_jailProcessesSwappingDirectoriesForHostLinksNeverGetAHostWrite()
      throws Exception {
    Path root = host("race");
    Path hostDir = Files.createDirectories(tmp.resolve("race-host/etc"));
    Files.writeString(hostDir.resolve("keep"), "host file\n");
    Path swap = RenameSwapper.build(tmp.resolve("race-build"));
    Path repo = tmp.resolve("src/iocage-plugin-racer");
    artifact(repo, "echo installed\n");
    Files.createDirectories(repo.resolve("overlay/root"));
    Files.copy(swap, repo.resolve("overlay/root/swap"));
    Files.setPosixFilePermissions(
        repo.resolve("overlay/root/swap"), PosixFilePermissions.fromString("rwxr-xr-x"));
    String commit =
        commit(
            repo,
            Map.of(
                "overlay/usr/local/etc/racer/racer.conf",
                "racer = 1\n",
                "pre_update.sh",
                "#!/bin/sh\n"
                    + "for d in /usr/local/etc/pkg/repos /usr/local/etc/racer; do\n"
                    + "  /root/swap $d $d.evil "
                    + hostDir
                    + " daemon </dev/null >/dev/null 2>&1\n"
                    + "done\n"
                    + "sleep 1\necho swappers running: $(ps | grep -c '[r]oot/swap')\n"));
    publishPlugin("racer", repo, commit, "[\"testpkg\"]", 1);
    try {
      ok(root, "fetch", "-P", "acme/racer", "-n", "racer", "vnet=0");
      int done = 0;
      int raced = 0;
      for (int i = 0; i < 8; i++) {
        CliRun update = plugins.warder(root, "plugin", "update", "racer");
        if (update.exitCode() == 0) {
          done++;
        } else {
          raced++;
          assertThat(update.out() + update.err())
              .as("a failed update is rolled back")
              .contains("restored racer from its copy");
        }
        try (var files = Files.list(hostDir)) {
          assertThat(files.map(p -> p.getFileName().toString()))
              .as("update " + i)
              .containsExactly("keep");
        }
        assertThat(hostDir.resolve("keep")).hasContent("host file");
        if (i == 0) {
          assertThat(update.out())
              .as("the first update ran pre_update.sh")
              .contains("swappers running: 2");
        }
      }
      assertThat(done + raced).isEqualTo(8);
    } finally {
      plugins.warder(root, "stop", "racer");
    }
    try (var all = Files.walk(hostDir.getParent())) {
      assertThat(all.map(p -> hostDir.getParent().relativize(p).toString()))
          .containsExactlyInAnyOrder("", "etc", "etc/keep");
    }
  }

  @Test
  void testInstall_dryRunPlansFreeBsdCommands() throws Exception {
    Path root = host("plan");
    CliRun run =
        ok(root, "--runtime", "freebsd", "fetch", "-P", "acme/testapp", "-n", "app9", "--dry-run");
    assertThat(run.out())
        .contains(
            "Plan for plugin acme/testapp revision 1 into jail app9 (jail runtime, dir storage)")
        .contains("fetch release " + REL)
        .contains(
            "create: create jail app9: a thin clone of releases/"
                + REL
                + "/root at "
                + root.resolve("jails/app9/root"))
        .contains("devfs_ruleset = 1000;")
        .containsSubsequence(
            "devfs rule -s 1000 delset",
            "devfs rule -s 1000 add hide",
            "devfs rule -s 1000 add path null unhide",
            "devfs rule -s 1000 add path 'bpf*' unhide",
            "devfs rule -s 1000 add path 'dri/*' mode 0660",
            "jail -f " + root.resolve("jails/app9/jail.conf") + " -c app9")
        .contains("pkg -j app9 install -y testpkg")
        .contains("jexec app9 env IOCAGE_PLUGIN_IP=127.0.0.1 WARDER_PLUGIN_IP=127.0.0.1 /bin/sh -c")
        .contains("check out commit " + goodCommit)
        .contains("nothing was run or written");
    assertThat(root.resolve("jails")).doesNotExist();
  }
}
