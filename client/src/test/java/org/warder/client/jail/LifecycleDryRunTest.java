package org.warder.client.jail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.testing.BusyboxRoot;
import org.warder.client.testing.TestHost;
import org.warder.client.testing.TreeSnapshot;

/**
 * {@code start}, {@code stop} and {@code restart} with {@code --dry-run} in the Linux sandbox: they
 * print which jails go in which order and what each start or stop does, start or stop no jail and
 * change no file; the real commands then run those steps.
 */
class LifecycleDryRunTest {
  @TempDir Path root;
  TestHost host;

  @BeforeEach
  void jails() throws Exception {
    BusyboxRoot.requireSandbox();
    host = new TestHost(root);
    host.ok("create", "-e", "-n", "db", "boot=1", "priority=20");
    host.ok("create", "-e", "-n", "web", "boot=1", "priority=10", "depends=db");
    host.ok("create", "-e", "-n", "idle");
    for (String jail : new String[] {"db", "web", "idle"}) {
      BusyboxRoot.create(host.jailRoot(jail));
    }
  }

  @AfterEach
  void stopAll() {
    host.warder("stop", "--rc");
    host.warder("stop", "idle");
  }

  @Test
  void startDryRun_namesTheJailsInOrderWithWhatEachStartDoes_andStartsNothing() throws Exception {
    TreeSnapshot before = TreeSnapshot.of(root);
    String down = host.ok("list", "-h").out();

    String out = host.ok("start", "--dry-run", "web").out();

    assertThat(out).contains("start db: ", "start web: ").doesNotContain("start idle");
    assertThat(out.indexOf("start db: ")).isLessThan(out.indexOf("start web: "));
    assertThat(out).endsWith("(--dry-run: no jail was started; nothing was changed)\n");
    String rc = host.ok("start", "--rc", "--dry-run").out();
    assertThat(rc).contains("start db: ", "start web: ").doesNotContain("start idle");
    assertThat(TreeSnapshot.of(root)).isEqualTo(before);
    assertThat(host.ok("list", "-h").out()).isEqualTo(down).doesNotContain("\tup\t");

    host.ok("start", "web");
    assertThat(host.ok("list", "-h").out()).contains("\tdb\tup\t", "\tweb\tup\t");
  }

  @Test
  void stopAndRestartDryRun_nameWhatWouldStopAndStart_andLeaveTheJailsRunning() throws Exception {
    host.ok("start", "web", "idle");
    String running = host.ok("list", "-h").out();
    TreeSnapshot before = TreeSnapshot.of(root.resolve("jails"));

    String stop = host.ok("stop", "--dry-run", "--rc").out();
    assertThat(stop).contains("stop web: ", "stop db: ").doesNotContain("stop idle");
    assertThat(stop.indexOf("stop web: ")).isLessThan(stop.indexOf("stop db: "));
    assertThat(stop).endsWith("(--dry-run: no jail was stopped; nothing was changed)\n");
    String restart = host.ok("restart", "--dry-run", "idle").out();
    assertThat(restart).contains("stop idle: ", "start idle: ");
    assertThat(restart.indexOf("stop idle: ")).isLessThan(restart.indexOf("start idle: "));
    assertThat(restart).endsWith("(--dry-run: idle was not restarted; nothing was changed)\n");

    assertThat(host.ok("list", "-h").out()).isEqualTo(running);
    assertThat(TreeSnapshot.of(root.resolve("jails"))).isEqualTo(before);
    assertThat(host.refused("start", "--dry-run", "idle")).contains("idle is already running");
    assertThat(host.refused("stop", "--dry-run", "web", "nope")).contains("nope");

    host.ok("stop", "--rc");
    assertThat(host.ok("list", "-h").out()).contains("\tidle\tup\t").doesNotContain("\tweb\tup");
  }
}
