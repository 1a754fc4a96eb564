package org.warder.client.jail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.testing.TestHost;
import org.warder.client.testing.TreeSnapshot;
import org.warder.client.testing.ZfsPool;

/**
 * {@code set}, {@code snapshot} and {@code rollback} with {@code --dry-run}: they print what would
 * change (config.json values and what they turn on, a conversion to a template, the snapshot, the
 * later snapshots a rollback destroys) and change nothing: not a byte of config.json, no dataset or
 * snapshot on real ZFS.
 */
class SetSnapshotDryRunTest {
  @TempDir Path tmp;

  @Test
  void setDryRun_printsTheChangesAndWhatTheyTurnOn_andWritesNothing() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "www");
    Path config = host.root().resolve("jails/www/config.json");
    byte[] bytes = Files.readAllBytes(config);
    TreeSnapshot before = TreeSnapshot.of(host.root());

    String out = host.ok("set", "--dry-run", "boot=1", "dhcp=1", "www").out();

    assertThat(out)
        .contains("config: write " + config + ": boot 0 -> 1")
        .contains("config: write " + config + ": dhcp 0 -> 1")
        .contains("config: turns on vnet=1")
        .endsWith("(--dry-run: www was not changed; nothing was written)\n")
        .doesNotContain("www updated");
    String template = host.ok("set", "--dry-run", "template=yes", "www").out();
    assertThat(template)
        .contains("template: rename jails/www to templates/www")
        .contains("template: make templates/www/root read-only");
    assertThat(host.refused("set", "--dry-run", "boot=perhaps", "www")).contains("boot");
    assertThat(config).hasBinaryContent(bytes);
    assertThat(TreeSnapshot.of(host.root())).isEqualTo(before);

    assertThat(host.ok("set", "boot=1", "dhcp=1", "www").out()).contains("www updated");
    assertThat(host.ok("get", "vnet", "www").out()).isEqualTo("1\n");
  }

  @Test
  void snapshotAndRollbackDryRun_onZfs_nameTheSnapshotsAndTouchNone() throws Exception {
    try (ZfsPool pool = ZfsPool.create(tmp, 128)) {
      TestHost host = new TestHost(tmp.resolve("z"));
      host.ok("activate", pool.name() + "/warder");
      host.ok("create", "-e", "-n", "www");
      Path file = Files.writeString(host.jailRoot("www").resolve("note"), "one\n");
      host.ok("snapshot", "-n", "s1", "www");
      Files.writeString(file, "two\n");
      host.ok("snapshot", "-n", "s2", "www");
      Files.writeString(file, "three\n");
      List<String> datasets = pool.datasets();
      List<String> snapshots = snapshots(pool);
      String root = "jails/www/root";

      String snap = host.ok("snapshot", "--dry-run", "-n", "s3", "www").out();
      assertThat(snap)
          .isEqualTo("snapshot: snapshot " + root + "@s3\n(--dry-run: no snapshot was taken)\n");
      String rollback = host.ok("rollback", "--dry-run", "-n", "s1", "www").out();
      assertThat(rollback)
          .contains("rollback: roll " + root + " back to @s1")
          .contains("rollback: destroy later snapshot " + root + "@s2")
          .endsWith("(--dry-run: www was not rolled back; nothing was changed)\n");
      assertThat(host.refused("snapshot", "--dry-run", "-n", "s2", "www"))
          .contains("has a snapshot s2 already");

      assertThat(pool.datasets()).isEqualTo(datasets);
      assertThat(snapshots(pool)).isEqualTo(snapshots).hasSize(2);
      assertThat(file).hasContent("three");

      host.ok("rollback", "-n", "s1", "www");
      assertThat(file).hasContent("one");
      assertThat(snapshots(pool)).hasSize(1);
    }
  }

  @Test
  void snapshotDryRun_onDirectories_isRefusedAsTheSnapshotIs() {
    TestHost host = new TestHost(tmp.resolve("d"));
    host.ok("create", "-e", "-n", "www");
    assertThat(host.refused("snapshot", "--dry-run", "www")).contains("needs ZFS storage");
  }

  private static List<String> snapshots(ZfsPool pool) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("zfs", "list", "-H", "-t", "snapshot", "-o", "name", "-r", pool.name())
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.lines().filter(l -> !l.isBlank()).toList();
  }
}
