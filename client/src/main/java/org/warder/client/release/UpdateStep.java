package org.warder.client.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandRunner;
import org.warder.client.host.DirectoryTrees;
import org.warder.client.host.HostOs;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;

/**
 * Applies freebsd-update to an extracted -RELEASE on a FreeBSD host, or says why not. Its changes
 * live inside the staging area, whose step undoes them.
 */
final class UpdateStep implements Step {
  private final String release;
  private final Path root;
  private final CommandRunner runner;
  private final Optional<String> skipped;

  UpdateStep(String release, Path root, boolean update, HostOs os, CommandRunner runner) {
    this.release = release;
    this.root = root;
    this.runner = runner;
    this.skipped =
        !update
            ? Optional.of("--no-update")
            : os != HostOs.FREEBSD
                ? Optional.of("not a FreeBSD host")
                : !release.endsWith("-RELEASE") ? Optional.of("not a -RELEASE") : Optional.empty();
  }

  @Override
  public String name() {
    return "freebsd-update";
  }

  @Override
  public List<String> describe() {
    return List.of(
        skipped
            .map(why -> "skipped (" + why + ")")
            .orElseGet(
                () ->
                    command(Path.of("TMPDIR")).display()
                        + " (TMPDIR: a new temporary directory, removed afterwards)"));
  }

  @Override
  public void run(Reporter reporter) throws IOException, InterruptedException {
    if (skipped.isPresent()) {
      reporter.info("freebsd-update: skipped (" + skipped.get() + ")");
      return;
    }
    Path work = Files.createTempDirectory("warder-freebsd-update");
    try {
      runner.check(command(work));
    } finally {
      DirectoryTrees.delete(work);
    }
  }

  private Command command(Path work) {
    return new Command(
        List.of(
            "freebsd-update",
            "-b",
            root.toString(),
            "-d",
            work.toString(),
            "--not-running-from-cron",
            "--currently-running",
            release,
            "fetch",
            "install"),
        Map.of("PAGER", "cat"),
        Optional.empty(),
        Duration.ofHours(2));
  }
}
