package org.warder.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.testing.BusyboxRoot;
import org.warder.client.testing.TestHost;
import org.warder.signing.testing.CliRun;

/** {@code warder service}: service(8) in a running jail, its exit status warder's. */
class ServiceCommandTest {
  @TempDir Path tmp;

  @Test
  void service_ofAStoppedJail_isRefusedWithWhatToDo() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "web");
    assertThat(host.refused("service", "web", "nginx", "restart"))
        .contains("web is not running; start it with 'warder start web'");
  }

  @Test
  void service_withoutAnAction_isAUsageError() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    CliRun run = host.warder("service", "web", "nginx");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("(SERVICE ACTION [ARGS]) requires at least 2 values");
  }

  @Test
  void service_dryRun_saysWhatItWouldRunAndRunsNothing() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    assertThat(host.ok("service", "--dry-run", "web", "nginx", "reload", "-f").out())
        .contains("in jail web: service nginx reload -f")
        .contains("(--dry-run: nothing was run)");
  }

  @Test
  void service_inTheSandbox_runsTheJailsServiceAndRelaysItsStatus() throws Exception {
    BusyboxRoot.requireSandbox();
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "web");
    Path root = BusyboxRoot.create(host.jailRoot("web"));
    Files.createDirectories(root.resolve("usr/sbin"));
    Path service = root.resolve("usr/sbin/service");
    Files.writeString(
        service,
        "#!/bin/sh\necho \"service in $(hostname): $*\"\n"
            + "[ \"$2\" = status ] && exit 3\nexit 0\n");
    Files.setPosixFilePermissions(service, PosixFilePermissions.fromString("rwxr-xr-x"));
    host.ok("start", "web");
    try {
      CliRun ok = host.warder("service", "web", "nginx", "restart", "--now");
      assertThat(ok.exitCode()).as(ok.err()).isZero();
      assertThat(ok.out()).contains("service in web: nginx restart --now");
      CliRun status = host.warder("service", "web", "nginx", "status");
      assertThat(status.exitCode()).as(status.err()).isEqualTo(3);
      assertThat(status.out()).contains("service in web: nginx status");
    } finally {
      host.ok("stop", "web");
    }
  }
}
