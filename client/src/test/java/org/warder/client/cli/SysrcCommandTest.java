package org.warder.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.jail.props.JailName;
import org.warder.client.runtime.FreeBsdJailRuntime;
import org.warder.client.testing.BusyboxRoot;
import org.warder.client.testing.RecordingCommandRunner;
import org.warder.client.testing.TestHost;
import org.warder.signing.testing.CliRun;

/**
 * {@code warder sysrc}: sysrc(8) in a running jail, its exit status warder's; in the sandbox the
 * demo release's own sysrc ({@code demo/release/usr/sbin/sysrc}) edits the jail's rc.conf.
 */
class SysrcCommandTest {
  private static final Path DEMO_SYSRC = Path.of("../demo/release/usr/sbin/sysrc");

  @TempDir Path tmp;

  @Test
  void sysrc_onFreeBsd_isJexecSysrcWithTheArgumentsAsGiven() throws Exception {
    RecordingCommandRunner runner = RecordingCommandRunner.succeeding();
    new FreeBsdJailRuntime(runner, tmp)
        .exec(JailName.of("www"), List.of("sysrc", "-x", "nginx_flags"), Map.of());
    assertThat(runner.commands())
        .containsExactly(List.of("jexec", "www", "sysrc", "-x", "nginx_flags"));
  }

  @Test
  void sysrc_ofAStoppedJail_isRefusedWithWhatToDo() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "web");
    assertThat(host.refused("sysrc", "web", "nginx_enable=YES"))
        .contains("web is not running; start it with 'warder start web'");
  }

  @Test
  void sysrc_withoutArguments_isAUsageError() throws Exception {
    CliRun run = new TestHost(tmp.resolve("w")).warder("sysrc", "web");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("(NAME ARGS) requires at least 2 values");
  }

  @Test
  void sysrc_dryRun_saysWhatItWouldRunAndRunsNothing() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    assertThat(host.ok("sysrc", "--dry-run", "web", "-x", "nginx_flags").out())
        .contains("in jail web: sysrc -x nginx_flags")
        .contains("(--dry-run: nothing was run)");
  }

  /** Jail {@code web} (stopped) of a busybox root with the demo release's sysrc; its root. */
  private static Path sandboxJailWithTheDemoSysrc(TestHost host) throws Exception {
    BusyboxRoot.requireSandbox();
    host.ok("create", "-e", "-n", "web");
    Path root = BusyboxRoot.create(host.jailRoot("web"));
    Files.createDirectories(root.resolve("usr/sbin"));
    Files.copy(DEMO_SYSRC, root.resolve("usr/sbin/sysrc"));
    return root;
  }

  @Test
  void sysrc_inTheSandbox_setsReadsAndRemovesRcConfEntries() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    Path root = sandboxJailWithTheDemoSysrc(host);
    Path rcConf = root.resolve("etc/rc.conf");
    Files.writeString(rcConf, "# the jail's own\nsshd_enable=\"NO\"\nnginx_flags='-q'\n");
    host.ok("start", "web");
    try {
      assertThat(host.ok("sysrc", "web", "sshd_enable=YES", "nginx_enable=YES").out())
          .contains("sshd_enable: NO -> YES")
          .contains("nginx_enable:  -> YES");
      assertThat(host.ok("sysrc", "web", "sshd_enable").out()).isEqualTo("sshd_enable: YES\n");
      assertThat(host.ok("sysrc", "web", "-n", "nginx_flags").out()).isEqualTo("-q\n");
      host.ok("sysrc", "web", "-x", "nginx_flags");
      assertThat(Files.readString(rcConf))
          .isEqualTo("# the jail's own\nsshd_enable=\"YES\"\nnginx_enable=\"YES\"\n");

      CliRun unset = host.warder("sysrc", "web", "nginx_flags");
      assertThat(unset.exitCode()).isEqualTo(1);
      assertThat(unset.err()).contains("sysrc: unknown variable 'nginx_flags'");
    } finally {
      host.ok("stop", "web");
    }
  }

  @Test
  void sysrc_inTheSandbox_refusesWhatTheDemoSysrcCannotDoAndChangesNothing() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    Path root = sandboxJailWithTheDemoSysrc(host);
    Path rcConf = root.resolve("etc/rc.conf");
    String before = "sshd_enable=\"NO\"\n";
    Files.writeString(rcConf, before);
    host.ok("start", "web");
    try {
      for (List<String> args :
          List.of(
              List.of("-a"),
              List.of("sshd_enable+=YES"),
              List.of("x=$(reboot)"),
              List.of("-x", "sshd_enable=NO"))) {
        List<String> argv = new java.util.ArrayList<>(List.of("sysrc", "web"));
        argv.addAll(args);
        CliRun run = host.warder(argv.toArray(String[]::new));
        assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(64);
        assertThat(run.err())
            .contains("this demo sysrc takes NAME=VALUE, NAME, -n NAME or -x NAME");
      }
      assertThat(Files.readString(rcConf)).isEqualTo(before);
    } finally {
      host.ok("stop", "web");
    }
  }

  @Test
  void sysrc_throughARcConfLinkedToAHostPath_writesOnlyInsideTheJail() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    Path root = sandboxJailWithTheDemoSysrc(host);
    Path hostFile = Files.writeString(tmp.resolve("host-rc.conf"), "host_only=\"1\"\n");
    Files.deleteIfExists(root.resolve("etc/rc.conf"));
    Files.createSymbolicLink(root.resolve("etc/rc.conf"), hostFile.toAbsolutePath());
    host.ok("start", "web");
    try {
      host.ok("sysrc", "web", "evil_enable=YES");
    } finally {
      host.ok("stop", "web");
    }
    assertThat(Files.readString(hostFile)).isEqualTo("host_only=\"1\"\n");
    assertThat(Files.readString(root.resolve("etc/rc.conf"))).isEqualTo("evil_enable=\"YES\"\n");
  }
}
