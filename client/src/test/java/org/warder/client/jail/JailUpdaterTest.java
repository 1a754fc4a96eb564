package org.warder.client.jail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.host.HostOs;
import org.warder.client.layout.HostLayout;
import org.warder.client.progress.Reporter;
import org.warder.client.testing.RecordingCommandRunner;
import org.warder.client.testing.TestHost;

/** {@code warder update}/{@code upgrade}: freebsd-update's argv on FreeBSD, refusals elsewhere. */
class JailUpdaterTest {
  @TempDir Path tmp;

  private Path jailWithRelease(String release, String... props) throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    List<String> args = new java.util.ArrayList<>(List.of("create", "-e", "-n", "web"));
    args.addAll(List.of(props));
    host.ok(args.toArray(String[]::new));
    Path config = host.root().resolve("jails/web/config.json");
    Files.writeString(
        config,
        Files.readString(config)
            .replace("\"release\" : \"EMPTY\"", "\"release\" : \"" + release + "\""));
    return host.root();
  }

  @Test
  void update_andUpgrade_runFreebsdUpdateOnTheJailsRoot() throws Exception {
    Path root = jailWithRelease("13.4-RELEASE");
    RecordingCommandRunner runner = RecordingCommandRunner.succeeding();
    HostLayout layout = new HostLayout(root);
    JailStore store = new JailStore(layout);
    JailUpdater updater = new JailUpdater(layout, store, runner, HostOs.FREEBSD, Reporter.silent());
    String r = root.resolve("jails/web/root").toString();
    List<String> base =
        List.of(
            "freebsd-update",
            "-b",
            r,
            "-d",
            r + "/var/db/freebsd-update/",
            "-f",
            r + "/etc/freebsd-update.conf",
            "--not-running-from-cron",
            "--currently-running",
            "13.4-RELEASE");

    updater.update("web", Optional.empty());
    assertThat(runner.commands()).containsExactly(plus(base, "fetch"), plus(base, "install"));

    updater.update("web", Optional.of("14.2-RELEASE"));
    assertThat(runner.commands().subList(2, 5))
        .containsExactly(
            plus(base, "-r", "14.2-RELEASE", "upgrade"),
            plus(base, "install"),
            plus(base, "install"));
    assertThat(store.get("web").release()).isEqualTo("14.2-RELEASE");
  }

  private static List<String> plus(List<String> base, String... more) {
    List<String> out = new java.util.ArrayList<>(base);
    out.addAll(List.of(more));
    return out;
  }

  @Test
  void update_onLinux_isRefusedWithTheReason() throws Exception {
    Path root = jailWithRelease("13.4-RELEASE");
    TestHost host = new TestHost(root);
    assertThat(host.refused("update", "web"))
        .contains("freebsd-update, which this linux host lacks");
    assertThat(host.refused("upgrade", "-r", "14.2-RELEASE", "web")).contains("freebsd-update");
  }

  @Test
  void update_ofABaseJail_namesTheReleaseToUpdateInstead() throws Exception {
    Path root = jailWithRelease("13.4-RELEASE");
    Path config = root.resolve("jails/web/config.json");
    Files.writeString(config, Files.readString(config).replace("{", "{\n  \"basejail\" : 1,"));
    HostLayout layout = new HostLayout(root);
    RecordingCommandRunner runner = RecordingCommandRunner.succeeding();
    assertThatThrownBy(
            () ->
                new JailUpdater(
                        layout, new JailStore(layout), runner, HostOs.FREEBSD, Reporter.silent())
                    .update("web", Optional.empty()))
        .hasMessageContaining("web is a base jail")
        .hasMessageContaining("update that release instead");
    assertThat(runner.commands()).isEmpty();
  }
}
