package org.warder.client.jail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandResult;
import org.warder.client.exec.ProcessCommandRunner;
import org.warder.client.jail.props.JailName;
import org.warder.client.progress.Reporter;
import org.warder.client.runtime.BubblewrapRuntime;
import org.warder.client.runtime.FreeBsdJailRuntime;
import org.warder.client.runtime.HostNetns;
import org.warder.client.runtime.ProcessTable;
import org.warder.client.testing.BusyboxRoot;
import org.warder.client.testing.RecordingCommandRunner;
import org.warder.client.testing.TestHost;

/** {@code warder console}: a login shell in a running jail. */
class JailConsoleTest {
  @TempDir Path tmp;

  @Test
  void console_onFreeBsd_isJexecLoginAsRoot() throws Exception {
    Command c =
        new FreeBsdJailRuntime(RecordingCommandRunner.succeeding(), tmp)
            .console(JailName.of("www"));
    assertThat(c.argv()).containsExactly("jexec", "www", "login", "-f", "root");
  }

  @Test
  void console_ofAStoppedJail_isRefusedWithWhatToDo() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "web");
    assertThat(host.refused("console", "web"))
        .contains("web is not running; start it with 'warder start web'");
  }

  @Test
  void console_inTheSandbox_isALoginShellInTheJail() throws Exception {
    BusyboxRoot.requireSandbox();
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "web");
    BusyboxRoot.create(host.jailRoot("web"));
    host.ok("start", "web");
    try {
      assertThat(host.ok("console", "--dry-run", "web").out())
          .contains("nsenter")
          .contains("/bin/sh -l");
      Command shell =
          new BubblewrapRuntime(
                  RecordingCommandRunner.succeeding(),
                  new ProcessTable(),
                  host.root(),
                  HostNetns.fromEnvironment(Map.of()))
              .console(JailName.of("web"));
      assertThat(shell.argv().subList(shell.argv().size() - 2, shell.argv().size()))
          .containsExactly("/bin/sh", "-l");
      CommandResult r =
          new ProcessCommandRunner(Reporter.silent(), false)
              .run(
                  new Command(
                      shell.argv(),
                      Map.of(),
                      Optional.of(
                          "echo in-$(hostname) as $(id -u); exit 7\n"
                              .getBytes(StandardCharsets.UTF_8)),
                      Duration.ofMinutes(1)));
      assertThat(r.exitCode()).as(r.stderr()).isEqualTo(7);
      assertThat(r.stdout()).contains("in-web as 0");
    } finally {
      host.ok("stop", "web");
    }
    assertThat(host.refused("console", "web")).contains("web is not running");
  }
}
