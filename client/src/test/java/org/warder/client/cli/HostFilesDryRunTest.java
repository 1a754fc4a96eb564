package org.warder.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.testing.TestHost;
import org.warder.client.testing.TreeSnapshot;
import org.warder.client.testing.ZfsPool;

/**
 * {@code key generate|trust}, {@code export} and {@code activate} with {@code --dry-run}: each
 * prints the files it would write (and the zfs command) and writes none.
 */
class HostFilesDryRunTest {
  @TempDir Path tmp;

  @Test
  void keyGenerateAndTrustDryRun_nameTheFiles_andWriteNone() throws Exception {
    Path keys = tmp.resolve("keys");
    TestHost host = new TestHost(tmp.resolve("w"), Map.of("WARDER_KEYS", keys.toString()));

    String gen = host.ok("key", "generate", "--name", "rel", "--dry-run").out();
    assertThat(gen)
        .contains("write " + keys.resolve("rel.pem"))
        .contains("write " + keys.resolve("rel.pub.json"))
        .endsWith("(--dry-run: no key was generated; nothing was written)\n");
    assertThat(keys).doesNotExist();

    Path pass = Files.writeString(tmp.resolve("pass"), "secret\n");
    Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
    host.ok("key", "generate", "--name", "rel", "--passphrase-file", pass.toString());
    assertThat(host.refused("key", "generate", "--name", "rel", "--dry-run"))
        .contains("already exists");
    TreeSnapshot before = TreeSnapshot.of(tmp);
    String trust =
        host.ok("key", "trust", keys.resolve("rel.pub.json").toString(), "--dry-run").out();
    assertThat(trust)
        .contains("write " + host.root().resolve("trusted-keys"))
        .endsWith("(--dry-run: the key was not trusted; nothing was written)\n");
    assertThat(TreeSnapshot.of(tmp)).isEqualTo(before);
  }

  @Test
  void exportDryRun_namesTheBundleAndCompanions_andWritesNothing() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "www");
    Files.writeString(host.jailRoot("www").resolve("motd"), "hi\n");
    TreeSnapshot before = TreeSnapshot.of(host.root());
    Path bundle = tmp.resolve("out/www.tar");

    String out = host.ok("export", "www", "-o", bundle.toString(), "--dry-run").out();

    assertThat(out)
        .contains("write www (tar, zstd) to " + bundle)
        .contains("write " + bundle + ".sha256")
        .endsWith("(--dry-run: nothing was exported or written)\n");
    assertThat(host.refused("export", "www", "--format", "zfs", "--dry-run"))
        .contains("--format zfs needs ZFS storage");
    assertThat(TreeSnapshot.of(host.root())).isEqualTo(before);
    assertThat(tmp.resolve("out")).doesNotExist();

    host.ok("export", "www", "-o", bundle.toString());
    assertThat(bundle).exists();
  }

  @Test
  void activateDryRun_onZfs_printsTheZfsCommand_andCreatesNoDataset() throws Exception {
    try (ZfsPool pool = ZfsPool.create(tmp, 64)) {
      TestHost host = new TestHost(tmp.resolve("z"));
      List<String> datasets = pool.datasets();

      String out = host.ok("activate", "--dry-run", pool.name() + "/warder").out();

      assertThat(out)
          .contains("zfs create -p -o mountpoint=" + host.root() + " " + pool.name() + "/warder")
          .contains("write " + host.root().resolve("warder.json") + ": storage zfs")
          .endsWith("(--dry-run: warder storage was not changed; nothing was written)\n");
      assertThat(pool.datasets()).isEqualTo(datasets);
      assertThat(host.root()).doesNotExist();
    }
  }
}
