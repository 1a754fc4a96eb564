package org.warder.client.jail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.testing.TestHost;
import org.warder.signing.testing.CliRun;

/**
 * {@code warder create --dry-run} and {@code warder destroy --dry-run} on directory storage: they
 * print the steps the command runs and change nothing; the command then runs those steps.
 */
class CreateDestroyDryRunTest {
  static final String REL = "13.4-RELEASE";
  @TempDir Path root;
  TestHost host;

  @BeforeEach
  void release() throws IOException {
    host = new TestHost(root);
    Path rel = root.resolve("releases/" + REL + "/root");
    Files.createDirectories(rel.resolve("etc"));
    Files.writeString(rel.resolve("etc/motd"), "hello\n");
  }

  private List<String> tree() throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.map(p -> root.relativize(p) + (Files.isDirectory(p) ? "/" : ""))
          .sorted()
          .toList();
    }
  }

  @Test
  void createDryRun_printsTheStepsAndWritesNothing_thenCreateDoesThem() throws Exception {
    List<String> before = tree();

    CliRun dry = host.ok("create", "--dry-run", "-r", REL, "-n", "www", "-T", "boot=1");

    assertThat(dry.out())
        .contains("directory: create jails/www (readable by root only)")
        .contains("root: copy releases/" + REL + "/root to jails/www/root")
        .contains("config: write " + root.resolve("jails/www/config.json"))
        .contains("\"boot\" : 1")
        .contains("fstab: no fstab")
        .contains("(--dry-run: www was not created; nothing was written)");
    assertThat(tree()).isEqualTo(before);

    CliRun run = host.ok("create", "-r", REL, "-n", "www", "-T", "boot=1");
    assertThat(run.out()).contains("www created: an independent copy of release " + REL);
    assertThat(host.jailRoot("www").resolve("etc/motd")).hasContent("hello");
  }

  @Test
  void createDryRun_checksWhatTheRunChecks() throws Exception {
    assertThat(host.refused("create", "--dry-run", "-r", "14.2-RELEASE", "-n", "www"))
        .contains("release 14.2-RELEASE is not fetched");
    assertThat(host.refused("create", "--dry-run", "-r", REL, "-n", "www", "boot=perhaps"))
        .contains("property boot: expected 0 or 1");
    assertThat(root.resolve("jails")).doesNotExist();
  }

  @Test
  void destroyDryRun_printsTheStepsAndRemovesNothing() throws Exception {
    host.ok("create", "-r", REL, "-n", "www");
    List<String> before = tree();

    CliRun dry = host.ok("destroy", "--dry-run", "www");

    assertThat(dry.out())
        .contains("storage: destroy jails/www")
        .contains("snapshot: remove snapshot releases/" + REL + "/root@www if there is one")
        .doesNotContain("stop:")
        .contains("(--dry-run: www was not destroyed; nothing was changed)");
    assertThat(tree()).isEqualTo(before);

    assertThat(host.ok("destroy", "-f", "www").out()).contains("www destroyed");
    assertThat(root.resolve("jails/www")).doesNotExist();
  }
}
