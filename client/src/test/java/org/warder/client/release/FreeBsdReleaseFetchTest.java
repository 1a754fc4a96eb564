package org.warder.client.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.exec.CommandResult;
import org.warder.client.fetch.HttpSettings;
import org.warder.client.fetch.OkHttpFetcher;
import org.warder.client.host.HostOs;
import org.warder.client.layout.HostLayout;
import org.warder.client.progress.ConsoleReporter;
import org.warder.client.progress.ProgressListener;
import org.warder.client.storage.DirStorage;
import org.warder.client.testing.RecordingCommandRunner;
import org.warder.signing.testing.StaticHttpServer;

/**
 * What a fetch runs on a FreeBSD host, asserted as exact argv with the commands recorded, not run:
 * {@code chflags} for the archive's file flags, and {@code freebsd-update} on the extracted
 * release. The host has no {@code xz} here, so warder's own decoder extracts.
 */
class FreeBsdReleaseFetchTest {
  @TempDir Path tmp;

  @Test
  void testFetch_onFreebsdAppliesFlagsAndFreebsdUpdate() throws Exception {
    Path www = tmp.resolve("www");
    SyntheticRelease.write(www.resolve("amd64/13.4-RELEASE"), false, 64);
    RecordingCommandRunner runner =
        new RecordingCommandRunner(
            argv ->
                argv.get(0).equals("xz")
                    ? new CommandResult(127, "", "xz: not found")
                    : new CommandResult(0, "", ""));
    HostLayout layout = new HostLayout(tmp.resolve("root"));
    StringWriter out = new StringWriter();
    ReleaseFetcher fetcher =
        new ReleaseFetcher(
            layout,
            new DirStorage(layout.root(), runner, true),
            runner,
            HostOs.FREEBSD,
            Clock.systemUTC(),
            new ConsoleReporter(new PrintWriter(out, true)),
            ProgressListener.NONE);
    try (StaticHttpServer server = new StaticHttpServer(www)) {
      fetcher.fromMirror(
          "13.4-RELEASE",
          "amd64",
          List.of(),
          URI.create(server.url("").toString()),
          Optional.empty(),
          new OkHttpFetcher(HttpSettings.defaults(), "test"),
          true);
    }
    Path root = layout.releaseRoot("13.4-RELEASE");
    assertThat(root.resolve("bin/busybox")).exists();
    List<List<String>> commands = runner.commands();
    assertThat(commands).contains(List.of("xz", "--version"));
    assertThat(commands)
        .contains(
            List.of(
                "chflags",
                "-h",
                "schg",
                layout
                    .path("releases/staging-13.4-RELEASE/root")
                    .resolve("usr/bin/passwd")
                    .toString()));
    List<String> update =
        commands.stream().filter(c -> c.get(0).equals("freebsd-update")).findFirst().orElseThrow();
    assertThat(update.subList(0, 3))
        .containsExactly(
            "freebsd-update", "-b", layout.path("releases/staging-13.4-RELEASE/root").toString());
    assertThat(update.subList(5, update.size()))
        .containsExactly(
            "--not-running-from-cron", "--currently-running", "13.4-RELEASE", "fetch", "install");
    assertThat(update.get(3)).isEqualTo("-d");
    assertThat(update.get(4)).contains("warder-freebsd-update");
    assertThat(Files.exists(layout.path("releases/staging-13.4-RELEASE"))).isFalse();
  }
}
