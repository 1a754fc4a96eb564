package org.warder.client.jail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.cli.WarderMain;
import org.warder.client.release.SyntheticRelease;
import org.warder.client.testing.BusyboxRoot;
import org.warder.client.testing.ZfsPool;
import org.warder.signing.testing.CliRun;
import org.warder.signing.testing.StaticHttpServer;

/**
 * Jails for real on Linux: the bubblewrap sandbox runtime over a busybox-based release, on
 * directory storage and on ZFS (zfs-fuse), through the {@code warder} command line.
 */
class JailLifecycleTest {
  static final String REL = "13.4-RELEASE";
  @TempDir Path tmp;
  Path root;
  final List<String> started = new ArrayList<>();

  CliRun warder(String... args) {
    List<String> all = new ArrayList<>(List.of("--root", root.toString()));
    all.addAll(List.of(args));
    return CliRun.of(
        (out, err, a) -> WarderMain.run(out, err, Map.of("CI", "true"), a),
        all.toArray(String[]::new));
  }

  CliRun ok(String... args) {
    CliRun run = warder(args);
    assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err() + run.out()).isZero();
    if (args[0].equals("start")) {
      started.add(args[args.length - 1]);
    }
    return run;
  }

  String failure(String... args) {
    CliRun run = warder(args);
    assertThat(run.exitCode()).as(String.join(" ", args)).isNotZero();
    return run.err();
  }

  @AfterEach
  void stopAll() {
    if (root != null) {
      for (String name : started) {
        warder("stop", name);
      }
      started.clear();
    }
  }

  private void fetchRelease() throws Exception {
    Path www = tmp.resolve("www");
    SyntheticRelease.write(www.resolve("amd64/" + REL), false, 16);
    try (StaticHttpServer server = new StaticHttpServer(www)) {
      ok("fetch", "-r", REL, "--arch", "amd64", "--mirror", server.url("").toString());
    }
  }

  @Test
  void testLifecycle_onDirectoryStorage() throws Exception {
    BusyboxRoot.requireSandbox();
    root = tmp.resolve("root");
    fetchRelease();
    lifecycle(false);
    assertThat(failure("snapshot", "www1"))
        .contains("needs ZFS storage")
        .contains("warder activate");
  }

  @Test
  void testLifecycle_onZfs() throws Exception {
    BusyboxRoot.requireSandbox();
    root = tmp.resolve("zroot");
    try (ZfsPool pool = ZfsPool.create(tmp, 384)) {
      try {
        onZfs(pool);
      } finally {
        stopAll(); // running sandboxes hold the pool's mounts: stop them before the pool goes
      }
    }
  }

  private void onZfs(ZfsPool pool) throws Exception {
    ok("activate", pool.name() + "/warder");
    fetchRelease();
    lifecycle(true);
    assertThat(pool.datasets())
        .contains(
            pool.name() + "/warder/jails/www1/root", pool.name() + "/warder/templates/tmpl/root");
    // a thin jail is a clone of the release
    ProcessBuilder origin =
        new ProcessBuilder(
            "zfs", "get", "-H", "-o", "value", "origin", pool.name() + "/warder/jails/www1/root");
    Process p = origin.start();
    assertThat(new String(p.getInputStream().readAllBytes()).strip())
        .isEqualTo(pool.name() + "/warder/releases/" + REL + "/root@www1");
    p.waitFor();

    ok("snapshot", "-n", "before", "www1");
    assertThat(ok("snaplist", "-h", "www1").out()).isEqualTo("before\n");
    ok("stop", "www1");
    Files.writeString(root.resolve("jails/www1/root/etc/motd"), "changed\n");
    ok("rollback", "-n", "before", "www1");
    assertThat(root.resolve("jails/www1/root/etc/motd")).doesNotExist();
    ok("destroy", "-f", "www1");
    assertThat(pool.exists(pool.name() + "/warder/releases/" + REL + "/root@www1")).isFalse();
    for (String n : List.of("web2", "base1", "db")) {
      ok("destroy", "-f", n);
    }
    ok("destroy", "-f", "tmpl");
    ok("destroy", "-f", "-r", REL);
  }

  private void lifecycle(boolean zfs) throws Exception {
    ok("create", "-n", "www1", "-r", REL, "ip4_addr=lo0|127.0.0.2/8", "boot=1", "priority=20");
    Path www1 = root.resolve("jails/www1/root");
    assertThat(www1.resolve("bin/busybox")).exists();
    assertThat(root.resolve("jails/www1/config.json"))
        .content()
        .contains("\"ip4_addr\"")
        .contains("\"release\"");
    assertThat(www1.resolve("etc/resolv.conf")).hasSameBinaryContentAs(Path.of("/etc/resolv.conf"));

    // jail(8)'s shared-stack address has no sandbox equivalent: refused, then given up
    assertThat(failure("start", "www1"))
        .contains("ip4_addr=lo0|127.0.0.2/8 without vnet")
        .contains("warder set vnet=1 www1");
    ok("set", "ip4_addr=none", "www1");
    ok("start", "www1");
    assertThat(ok("exec", "www1", "hostname").out().strip()).isEqualTo("www1");
    assertThat(ok("exec", "www1", "cat", "/var/run/rc.ran").out()).isEqualTo("rc ran\n");
    assertThat(ok("list", "-h").out())
        .matches("(?s)\\d+\\twww1\\tup\\t" + REL + "\\tnone\\tjail\\n");
    assertThat(warder("exec", "www1", "false").exitCode()).isEqualTo(1);

    ok("create", "-n", "db", "-r", REL, "-T");
    ok("set", "depends=db", "www1");
    ok("stop", "www1");
    ok("start", "www1");
    started.add("db");
    assertThat(ok("list", "-h").out()).contains("\tdb\tup\t");
    assertThat(failure("destroy", "db")).contains("www1 (depends)");

    ok("set", "depends=www1", "db");
    ok("stop", "www1");
    ok("stop", "db");
    assertThat(failure("start", "www1")).contains("cycle").contains("www1 -> db -> www1");
    ok("set", "depends=none", "db");
    assertThat(failure("set", "depends=../x", "db")).contains("depends");
    assertThat(failure("set", "bogus_key=1", "db")).contains("bogus_key");
    assertThat(ok("get", "depends", "db").out()).isEqualTo("none\n");
    assertThat(ok("get", "ip4_addr", "www1").out()).isEqualTo("none\n");
    assertThat(ok("get", "release", "www1").out()).isEqualTo(REL + "\n");
    assertThat(ok("get", "devfs_ruleset", "www1").out()).isEqualTo("4\n");
    assertThat(ok("get", "all", "www1", "-h").out())
        .contains("depends\tdb\n")
        .contains("boot\t1\n");
    assertThat(failure("get", "ip4_adr", "www1"))
        .contains("unknown jail property 'ip4_adr'")
        .contains("ip4_addr");
    ok("set", "mount_linprocfs=1", "db");
    assertThat(root.resolve("jails/db/fstab"))
        .hasContent(
            "linprocfs\t"
                + root.resolve("jails/db/root/compat/linux/proc")
                + "\tlinprocfs\trw\t0\t0");
    ok("set", "mount_linprocfs=0", "db");
    assertThat(root.resolve("jails/db/fstab")).doesNotExist();

    ok("create", "-n", "base1", "-r", REL, "-b");
    assertThat(root.resolve("jails/base1/root/bin")).isEmptyDirectory();
    ok("start", "base1");
    assertThat(ok("exec", "base1", "cat", "/usr/share/misc/termcap").out())
        .isEqualTo("# termcap\n");
    assertThat(warder("exec", "base1", "touch", "/bin/x").exitCode()).isNotZero();

    ok("create", "-n", "tmpl", "-r", REL);
    Files.writeString(root.resolve("jails/tmpl/root/etc/motd"), "from the template\n");
    ok("set", "template=yes", "tmpl");
    assertThat(ok("list", "-t", "-h").out()).contains("tmpl");
    assertThat(failure("start", "tmpl")).contains("templates never start");
    ok("create", "-n", "web2", "-t", "tmpl");
    assertThat(root.resolve("jails/web2/root/etc/motd")).hasContent("from the template");
    assertThat(failure("destroy", "tmpl")).contains("web2");
    assertThat(failure("create", "-n", "www1", "-r", REL)).contains("already exists");
    assertThat(failure("create", "-n", "bad name", "-r", REL)).contains("name");
    assertThat(failure("create", "-n", "x", "-r", "99.0-RELEASE")).contains("not fetched");
    ok("start", "www1");
    assertThat(failure("destroy", "www1")).contains("running");
    if (!zfs) {
      ok("destroy", "-f", "web2");
      ok("destroy", "-f", "tmpl");
    }
  }
}
