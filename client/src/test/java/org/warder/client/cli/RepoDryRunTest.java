package org.warder.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.testing.TestHost;
import org.warder.client.testing.TreeSnapshot;

/**
 * {@code repo add|refresh|remove --dry-run} against a real registry: add fetches and verifies the
 * root and prints what it would trust, refresh verifies in a temporary copy, remove names the
 * directory; none writes under the warder root.
 */
class RepoDryRunTest {
  @TempDir static Path shared;
  static RegistryFixture registry;
  @TempDir Path tmp;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = new RegistryFixture(shared.resolve("registry"));
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    registry.close();
  }

  @Test
  void addRefreshRemoveDryRun_verifyAndPrint_andWriteNothing() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    String pin = registry.init.rootSha256();

    String add =
        host.ok("repo", "add", "main", registry.url(), "--root-sha256", pin, "--dry-run").out();

    assertThat(add)
        .contains("trust the root of " + registry.url())
        .contains("version 1, sha256 " + pin)
        .contains("  root: threshold ")
        .contains("write " + host.root().resolve("repos/main/metadata/root.json"))
        .endsWith("(--dry-run: main was not added; nothing was written)\n");
    assertThat(host.root().resolve("repos")).doesNotExist();
    assertThat(
            host.refused(
                "repo",
                "add",
                "main",
                registry.url(),
                "--root-sha256",
                "ab".repeat(32),
                "--dry-run"))
        .contains("expected the pinned");

    host.ok("repo", "add", "main", registry.url(), "--root-sha256", pin);
    TreeSnapshot before = TreeSnapshot.of(host.root());
    Path[] temps = tempDirs();

    String refresh = host.ok("repo", "refresh", "--dry-run", "main").out();
    assertThat(refresh)
        .contains("main: would reach root v1, timestamp v")
        .endsWith(
            "(--dry-run: checked in a temporary copy; the trusted metadata was not changed)\n");
    String remove = host.ok("repo", "remove", "--dry-run", "main").out();
    assertThat(remove)
        .contains("delete " + host.root().resolve("repos/main"))
        .endsWith("(--dry-run: main was not removed; nothing was changed)\n");

    assertThat(TreeSnapshot.of(host.root())).isEqualTo(before);
    assertThat(tempDirs()).isEqualTo(temps);
    assertThat(host.ok("repo", "refresh", "main").out()).contains("main: root v1, timestamp v");
  }

  private static Path[] tempDirs() throws Exception {
    try (var list = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return list.filter(p -> p.getFileName().toString().startsWith("warder-refresh-"))
          .sorted()
          .toArray(Path[]::new);
    }
  }
}
