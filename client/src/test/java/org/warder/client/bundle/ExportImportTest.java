package org.warder.client.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.testing.BusyboxRoot;
import org.warder.client.testing.RichTree;
import org.warder.client.testing.TestHost;
import org.warder.client.testing.TreeSnapshot;
import org.warder.client.testing.ZfsPool;
import org.warder.signing.Digests;
import org.warder.signing.PrivateFiles;

/**
 * {@code warder export} and {@code warder import} between two hosts, with real storage: plain
 * directories, and zfs-fuse pools (zfs send/receive), through files and through a pipe between two
 * real {@code warder} processes. The trees must be identical file by file (content, modes, owners,
 * links, times).
 */
class ExportImportTest {
  static final String NAME = "web";
  @TempDir Path tmp;

  /** A jail with a rich tree, properties, and a plugin record beside its root. */
  static void makeJail(TestHost host) throws IOException {
    host.ok(
        "create",
        "-e",
        "-n",
        NAME,
        "ip4_addr=lo0|10.1.2.3/24",
        "allow_raw_sockets=1",
        "boot=1",
        "priority=7");
    RichTree.write(host.jailRoot(NAME), 64);
    Files.writeString(
        host.root().resolve("jails/" + NAME + "/plugin.json"),
        "{\"plugin\":\"acme/web\",\"revision\":3}\n");
  }

  /**
   * {@code import ARGS} with the administrator's consent to the keys {@link #makeJail} sets that
   * act on the host or weaken the jail (ip4_addr, allow_raw_sockets), which the tests compare.
   */
  static String[] consentedImport(String... args) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "import", "--allow-property", "ip4_addr", "--allow-property", "allow_raw_sockets"));
    argv.addAll(List.of(args));
    return argv.toArray(String[]::new);
  }

  static void assertSameJail(TestHost a, String nameA, TestHost b, String nameB)
      throws IOException {
    assertThat(TreeSnapshot.of(b.jailRoot(nameB))).isEqualTo(TreeSnapshot.of(a.jailRoot(nameA)));
    assertThat(b.root().resolve("jails/" + nameB + "/plugin.json"))
        .hasSameTextualContentAs(a.root().resolve("jails/" + nameA + "/plugin.json"));
    var configA =
        new ObjectMapper().readTree(a.root().resolve("jails/" + nameA + "/config.json").toFile());
    var configB =
        new ObjectMapper().readTree(b.root().resolve("jails/" + nameB + "/config.json").toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) configA).put("name", nameB);
    assertThat(configB).isEqualTo(configA);
  }

  /** Nothing of a refused import is left: no jail, nothing in the staging area. */
  static void assertNothingLeft(TestHost host, String name) throws IOException {
    assertThat(host.root().resolve("jails/" + name)).doesNotExist();
    Path staging = host.root().resolve("staging");
    if (Files.isDirectory(staging)) {
      try (Stream<Path> s = Files.list(staging)) {
        assertThat(s.toList()).isEmpty();
      }
    }
    assertThat(host.warder("list", "-h").out()).doesNotContain(name + "\t");
  }

  @Test
  void testExportImport_tarBetweenDirectoryHosts_treesIdentical() throws Exception {
    TestHost a = new TestHost(tmp.resolve("a"));
    TestHost b = new TestHost(tmp.resolve("b"));
    makeJail(a);
    Path bundle = tmp.resolve("web.warder.tar");
    String out = a.ok("export", NAME, "-o", bundle.toString()).out();
    String sha = Digests.sha256Hex(bundle);
    assertThat(out).contains("exported web (tar, zstd) to " + bundle).contains("sha256 " + sha);
    assertThat(Files.readString(BundleCompanions.sha256File(bundle)))
        .isEqualTo(sha + "  web.warder.tar\n"); // sha256sum -c checks it

    assertThat(b.ok(consentedImport(bundle.toString())).out())
        .contains(
            "imported web from "
                + bundle
                + " ("
                + Files.size(bundle)
                + " bytes, sha256 "
                + sha
                + ")");
    assertSameJail(a, NAME, b, NAME);
    assertThat(b.ok("list", "-h").out()).isEqualTo("-\tweb\tdown\tEMPTY\tlo0|10.1.2.3/24\tjail\n");
    // once more under another name; the same name again is a conflict
    b.ok(consentedImport("-n", "web2", bundle.toString()));
    assertSameJail(a, NAME, b, "web2");
    assertThat(b.refused("import", bundle.toString()))
        .contains("a jail or template named web already exists here")
        .contains("-n NEWNAME");
    // the default file: <root>/images/NAME_DATE.warder.tar
    a.ok("export", NAME, "--compress", "xz");
    try (Stream<Path> images = Files.list(a.root().resolve("images"))) {
      List<String> names = images.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names).hasSize(2);
      assertThat(names.get(0)).matches("web_\\d{4}-\\d{2}-\\d{2}\\.warder\\.tar");
      assertThat(names.get(1)).isEqualTo(names.get(0) + ".sha256");
      b.ok(
          consentedImport(
              "-n", "web3", a.root().resolve("images").resolve(names.get(0)).toString()));
    }
    assertSameJail(a, NAME, b, "web3");
  }

  @Test
  void testImport_dryRun_printsStepsChecksTheBundleAndWritesNothing() throws Exception {
    TestHost a = new TestHost(tmp.resolve("a"));
    TestHost b = new TestHost(tmp.resolve("b"));
    makeJail(a);
    Path bundle = tmp.resolve("web.warder.tar");
    a.ok("export", NAME, "-o", bundle.toString());
    String sha = Digests.sha256Hex(bundle);
    b.ok("create", "-e", "-n", "other");
    TreeSnapshot before = TreeSnapshot.of(b.root());

    String out = b.ok(consentedImport("--dry-run", "-n", "web2", bundle.toString())).out();

    assertThat(out)
        .contains("stage: create staging/")
        .contains("stage: extract root.tar")
        .contains("promote: rename staging/")
        .contains(" to jails/web2")
        .contains("adopt: write web2's config.json and fstab")
        .contains(
            "(--dry-run: web2 was not imported; nothing was written; the bundle's sha256 is "
                + sha
                + ")");
    assertThat(TreeSnapshot.of(b.root())).isEqualTo(before);
    assertNothingLeft(b, "web2");
    // a dry run refuses what the import refuses: a bundle its .sha256 does not match
    Files.writeString(BundleCompanions.sha256File(bundle), "0".repeat(64) + "\n");
    assertThat(b.refused(consentedImport("--dry-run", "-n", "web2", bundle.toString())))
        .contains("expected the bundle's sha256 to be " + "0".repeat(64));
    assertThat(TreeSnapshot.of(b.root())).isEqualTo(before);
    // and the real import after a dry run still works
    Files.writeString(BundleCompanions.sha256File(bundle), sha + "\n");
    b.ok(consentedImport("-n", "web2", bundle.toString()));
    assertSameJail(a, NAME, b, "web2");
  }

  @Test
  void testExportImport_zfsAndTarBetweenTwoPools() throws Exception {
    try (ZfsPool poolA = ZfsPool.create(tmp, 256);
        ZfsPool poolB = ZfsPool.create(tmp, 256)) {
      TestHost a = new TestHost(tmp.resolve("za"));
      TestHost b = new TestHost(tmp.resolve("zb"));
      a.ok("activate", poolA.name() + "/warder");
      b.ok("activate", poolB.name() + "/warder");
      makeJail(a);
      Path zfsBundle = tmp.resolve("web.zfs.tar");
      assertThat(a.ok("export", NAME, "-o", zfsBundle.toString()).out()).contains("(zfs, zstd)");
      b.ok(consentedImport(zfsBundle.toString()));
      assertSameJail(a, NAME, b, NAME);
      assertThat(poolB.datasets()).contains(poolB.name() + "/warder/jails/web/root");
      // the jail directories (zfs datasets on both sides) are the owner's only; the roots keep
      // their mode
      assertThat(mode(a.root().resolve("jails/web"))).isEqualTo("rwx------");
      assertThat(mode(b.root().resolve("jails/web"))).isEqualTo("rwx------");
      assertThat(mode(b.jailRoot(NAME))).isEqualTo(mode(a.jailRoot(NAME)));
      // no export snapshot stays on either side, and nothing stays in staging
      assertThat(snapshots(poolA)).isEmpty();
      assertThat(snapshots(poolB)).isEmpty();
      assertThat(poolB.datasets().stream().filter(d -> d.contains("/staging/"))).isEmpty();

      // the portable format from ZFS (read through a clone of the snapshot), onto ZFS and onto
      // directories
      Path tarBundle = tmp.resolve("web.tar.tar");
      a.ok("export", NAME, "-o", tarBundle.toString(), "--format", "tar");
      b.ok(consentedImport("-n", "web2", tarBundle.toString()));
      assertSameJail(a, NAME, b, "web2");
      TestHost c = new TestHost(tmp.resolve("dir-host"));
      c.ok(consentedImport(tarBundle.toString()));
      assertSameJail(a, NAME, c, NAME);
      assertThat(poolA.datasets().stream().filter(d -> d.contains("/staging/"))).isEmpty();

      // a zfs bundle cannot land on plain directories
      assertThat(c.refused("import", "-n", "other", zfsBundle.toString()))
          .contains("this is a zfs bundle")
          .contains("--format tar");
      assertNothingLeft(c, "other");
      // and the zfs format cannot be written from them
      assertThat(c.refused("export", NAME, "--format", "zfs", "-o", tmp.resolve("x").toString()))
          .contains("--format zfs needs ZFS storage");
      assertThat(tmp.resolve("x")).doesNotExist();
    }
  }

  private static String mode(Path p) throws IOException {
    return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static List<String> snapshots(ZfsPool pool) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("zfs", "list", "-H", "-t", "snapshot", "-o", "name", "-r", pool.name())
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void testExport_runningJailNeedsLiveAndZfs() throws Exception {
    BusyboxRoot.requireSandbox();
    try (ZfsPool pool = ZfsPool.create(tmp, 256)) {
      TestHost dir = new TestHost(tmp.resolve("d"));
      TestHost zfs = new TestHost(tmp.resolve("z"));
      zfs.ok("activate", pool.name() + "/warder");
      for (TestHost h : List.of(dir, zfs)) {
        h.ok("create", "-e", "-n", "svc");
        BusyboxRoot.create(h.jailRoot("svc"));
        h.ok("start", "svc");
      }
      try {
        assertThat(dir.refused("export", "svc", "-o", tmp.resolve("d.tar").toString()))
            .contains("svc is running")
            .contains("--live");
        assertThat(dir.refused("export", "svc", "--live", "-o", tmp.resolve("d.tar").toString()))
            .contains("--live exports a ZFS snapshot");
        assertThat(tmp.resolve("d.tar")).doesNotExist();
        assertThat(zfs.refused("export", "svc", "-o", tmp.resolve("z.tar").toString()))
            .contains("svc is running");
        zfs.ok("export", "svc", "--live", "-o", tmp.resolve("z.tar").toString());
        assertThat(zfs.ok("list", "-h").out()).contains("\tsvc\tup\t");
        TestHost other = new TestHost(tmp.resolve("o"));
        other.ok("activate", pool.name() + "/other");
        other.ok("import", tmp.resolve("z.tar").toString());
        assertThat(TreeSnapshot.of(other.jailRoot("svc")).nodes()).containsKey("bin/busybox");
      } finally {
        dir.warder("stop", "svc");
        zfs.warder("stop", "svc");
      }
    }
  }

  @Test
  void testImport_baseJailNeedsItsReleaseAndGetsThisHostsFstab() throws Exception {
    String rel = "13.4-RELEASE";
    Path www = tmp.resolve("www");
    org.warder.client.release.SyntheticRelease.write(www.resolve("amd64/" + rel), false, 4);
    TestHost a = new TestHost(tmp.resolve("a"));
    TestHost b = new TestHost(tmp.resolve("b"));
    try (org.warder.signing.testing.StaticHttpServer mirror =
        new org.warder.signing.testing.StaticHttpServer(www)) {
      a.ok("fetch", "-r", rel, "--arch", "amd64", "--mirror", mirror.url("").toString());
      a.ok("create", "-b", "-n", "bj", "-r", rel);
      Path bundle = tmp.resolve("bj.tar");
      a.ok("export", "bj", "-o", bundle.toString());
      assertThat(b.refused("import", bundle.toString()))
          .contains("bj is a base jail")
          .contains("release " + rel + ", which this host lacks")
          .contains("fetch it with 'warder fetch -r " + rel + "'");
      assertNothingLeft(b, "bj");
      b.ok("fetch", "-r", rel, "--arch", "amd64", "--mirror", mirror.url("").toString());
      b.ok("import", bundle.toString());
    }
    String fstab = Files.readString(b.root().resolve("jails/bj/fstab"));
    assertThat(fstab)
        .contains(b.root().resolve("releases/" + rel + "/root/bin").toString())
        .doesNotContain(a.root().toString());
    assertThat(TreeSnapshot.of(b.jailRoot("bj"))).isEqualTo(TreeSnapshot.of(a.jailRoot("bj")));
  }

  @Test
  void testExportImport_throughAPipeBetweenTwoProcesses() throws Exception {
    TestHost a = new TestHost(tmp.resolve("a"));
    TestHost b = new TestHost(tmp.resolve("b"));
    makeJail(a);
    List<String> java =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "org.warder.client.cli.WarderMain");
    List<String> export = new ArrayList<>(java);
    export.addAll(List.of("--root", a.root().toString(), "export", NAME, "-o", "-"));
    List<String> imp = new ArrayList<>(java);
    imp.addAll(List.of("--root", b.root().toString()));
    imp.addAll(List.of(consentedImport("-n", "piped", "-")));
    Path errA = tmp.resolve("export.err");
    Path errB = tmp.resolve("import.err");
    List<Process> pipeline =
        ProcessBuilder.startPipeline(
            List.of(
                new ProcessBuilder(export).redirectError(errA.toFile()),
                new ProcessBuilder(imp).redirectError(errB.toFile())));
    String out =
        new String(pipeline.get(1).getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    for (Process p : pipeline) {
      assertThat(p.waitFor()).as(Files.readString(errA) + Files.readString(errB)).isZero();
    }
    assertThat(out).contains("imported piped from standard input");
    assertThat(Files.readString(errA)).contains("exported web to standard output");
    assertThat(Files.readString(errB)).contains("no .sha256 or signature");
    assertSameJail(a, NAME, b, "piped");
  }

  @Test
  void testImport_signatures() throws Exception {
    Path keys = tmp.resolve("keys");
    Path pass = tmp.resolve("pass");
    PrivateFiles.writeString(pass, "correct horse\n");
    Map<String, String> env =
        Map.of("WARDER_KEYS", keys.toString(), "WARDER_PASSPHRASE_FILE", pass.toString());
    TestHost a = new TestHost(tmp.resolve("a"), env);
    TestHost b = new TestHost(tmp.resolve("b"));
    a.ok("key", "generate", "--name", "ops");
    makeJail(a);
    Path bundle = tmp.resolve("signed.tar");
    assertThat(a.ok("export", NAME, "-o", bundle.toString(), "--sign", "ops").out())
        .contains(", signed by ");
    Path sig = BundleCompanions.signatureFile(bundle);
    assertThat(sig).exists();

    // signed by a key host B does not trust
    assertThat(b.refused("import", "--require-signature", bundle.toString()))
        .contains("expected a signature by a key this host trusts")
        .contains("warder key trust");
    assertNothingLeft(b, NAME);
    // without --require-signature an untrusted signature is reported, not fatal
    assertThat(b.ok("import", "-n", "lenient", bundle.toString()).err())
        .contains("warning: expected a signature by a key");
    // trusted: accepted
    b.ok("key", "trust", keys.resolve("ops.pub.json").toString());
    assertThat(b.ok(consentedImport("--require-signature", bundle.toString())).err())
        .contains("signature by trusted key");
    assertSameJail(a, NAME, b, NAME);
    b.ok("destroy", "-f", NAME);

    // a signature of another bundle
    Path other = tmp.resolve("other.tar");
    a.ok("export", NAME, "-o", other.toString(), "--compress", "none", "--sign", "ops");
    Files.copy(
        BundleCompanions.signatureFile(other),
        sig,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(b.refused("import", "--require-signature", bundle.toString()))
        .contains("signs another bundle");
    assertNothingLeft(b, NAME);
    // no signature at all
    Files.delete(sig);
    assertThat(b.refused("import", "--require-signature", bundle.toString()))
        .contains("expected a detached signature");
    assertNothingLeft(b, NAME);
    // --sign needs a file to put the signature beside
    assertThat(a.warder("export", NAME, "-o", "-", "--sign", "ops").exitCode()).isEqualTo(2);
  }
}
