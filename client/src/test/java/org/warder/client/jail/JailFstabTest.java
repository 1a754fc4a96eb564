package org.warder.client.jail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.testing.BusyboxRoot;
import org.warder.client.testing.TestHost;
import org.warder.signing.testing.CliRun;

/** {@code warder fstab}: nullfs mounts of a jail, in its fstab and in the sandbox for real. */
class JailFstabTest {
  @TempDir Path tmp;

  @Test
  void add_list_remove_keepTheFstabAndSurviveAPropertyChange() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "web");
    Path data = Files.createDirectories(tmp.resolve("data"));
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    host.ok("fstab", "web", "-a", data.toString(), "/srv/data");
    host.ok("fstab", "web", "-a", logs.toString(), "var/log/app", "rw");
    assertThat(host.jailRoot("web").resolve("srv/data")).isDirectory();
    assertThat(host.ok("fstab", "web", "-l", "-h").out())
        .isEqualTo(data + "\t/srv/data\tro\n" + logs + "\t/var/log/app\trw\n");

    host.ok("set", "mount_linprocfs=1", "web");
    assertThat(host.root().resolve("jails/web/fstab"))
        .content()
        .contains("linprocfs")
        .contains(data + "\t" + host.jailRoot("web").resolve("srv/data") + "\tnullfs\tro");

    host.ok("fstab", "web", "-r", "/srv/data");
    assertThat(host.ok("fstab", "web", "-l", "-h").out()).isEqualTo(logs + "\t/var/log/app\trw\n");
    assertThat(host.refused("fstab", "web", "-r", "/srv/data"))
        .contains("web has no mount of its own on /srv/data");
    CliRun jsonOnRemove = host.warder("fstab", "web", "-r", "/var/log/app", "--json");
    assertThat(jsonOnRemove.exitCode()).isEqualTo(2);
    assertThat(jsonOnRemove.err()).contains("-h and --json format the listing of -l");
    CliRun dryList = host.warder("fstab", "web", "-l", "--dry-run");
    assertThat(dryList.exitCode()).isEqualTo(2);
    assertThat(dryList.err()).contains("--dry-run applies to -a and -r");
    assertThat(host.ok("fstab", "web", "-l", "-h").out()).isEqualTo(logs + "\t/var/log/app\trw\n");
  }

  @Test
  void add_refusesEscapesMissingSourcesAndDuplicates() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "web");
    Path data = Files.createDirectories(tmp.resolve("data"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createSymbolicLink(host.jailRoot("web").resolve("escape"), outside);

    assertThat(host.refused("fstab", "web", "-a", data.toString(), "/mnt/../../x"))
        .contains("without '..'");
    assertThat(host.refused("fstab", "web", "-a", data.toString(), "/escape/sub"))
        .contains("escape: expected a directory, found a symbolic link");
    assertThat(outside.resolve("sub")).doesNotExist();
    assertThat(host.refused("fstab", "web", "-a", tmp.resolve("nope").toString(), "/mnt"))
        .contains("does not exist");
    assertThat(host.root().resolve("jails/web/fstab")).doesNotExist();

    host.ok("fstab", "web", "-a", data.toString(), "/mnt");
    assertThat(host.refused("fstab", "web", "-a", data.toString(), "/mnt/"))
        .contains("mounts something on /mnt already");
    assertThat(host.warder("fstab", "web", "-a", data.toString(), "/m2", "rx").exitCode())
        .isEqualTo(2);
  }

  @Test
  void add_dryRun_changesNothing() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "web");
    Path data = Files.createDirectories(tmp.resolve("data"));
    String out = host.ok("fstab", "--dry-run", "web", "-a", data.toString(), "/mnt/d").out();
    assertThat(out)
        .contains("mount point: make directory " + host.jailRoot("web").resolve("mnt/d"))
        .contains("fstab: write " + host.root().resolve("jails/web/fstab"))
        .contains("(--dry-run: nothing was changed)");
    assertThat(host.jailRoot("web").resolve("mnt")).doesNotExist();
    assertThat(host.root().resolve("jails/web/fstab")).doesNotExist();
  }

  @Test
  void sandbox_mountsAtTheNextStart_notIntoARunningJail() throws Exception {
    BusyboxRoot.requireSandbox();
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "web");
    BusyboxRoot.create(host.jailRoot("web"));
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("hello"), "from the host\n");
    host.ok("fstab", "web", "-a", data.toString(), "/srv/data", "ro");
    host.ok("start", "web");
    try {
      assertThat(host.ok("exec", "web", "cat", "/srv/data/hello").out())
          .isEqualTo("from the host\n");
      assertThat(host.warder("exec", "web", "touch", "/srv/data/new").exitCode()).isNotZero();
      Path more = Files.createDirectories(tmp.resolve("more"));
      org.warder.signing.testing.CliRun add =
          host.ok("fstab", "web", "-a", more.toString(), "/srv/more");
      assertThat(add.out() + add.err())
          .contains("runs in the Linux sandbox, which cannot mount into a running jail")
          .contains("warder restart web");
      assertThat(host.ok("fstab", "web", "-l").out()).contains("/srv/more");
      assertThat(host.warder("exec", "web", "ls", "/srv/more").exitCode()).isZero();
    } finally {
      host.ok("stop", "web");
    }
    assertThat(data.resolve("new")).doesNotExist();
  }
}
