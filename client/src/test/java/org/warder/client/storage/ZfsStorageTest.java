package org.warder.client.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.warder.client.exec.CommandResult;
import org.warder.client.testing.RecordingCommandRunner;

/** The exact zfs argv of the storage adapter, FreeBSD semantics and the zfs-fuse workarounds. */
class ZfsStorageTest {
  private static final Path ROOT = Path.of("/usr/local/warder");

  @Test
  void testFreebsd_createRenameDestroy() throws Exception {
    RecordingCommandRunner runner = RecordingCommandRunner.succeeding();
    ZfsStorage zfs = new ZfsStorage(runner, "zroot/warder", ROOT, false);
    assertThat(zfs.create("releases/staging-14.2-RELEASE/root")).isEqualTo(ROOT.resolve("releases/staging-14.2-RELEASE/root"));
    zfs.rename("releases/staging-14.2-RELEASE", "releases/14.2-RELEASE");
    zfs.destroy("releases/14.2-RELEASE");
    assertThat(runner.commands()).containsExactly(
        List.of("zfs", "create", "-p", "zroot/warder/releases/staging-14.2-RELEASE/root"),
        List.of("zfs", "create", "-p", "zroot/warder/releases"),
        List.of("zfs", "rename", "zroot/warder/releases/staging-14.2-RELEASE", "zroot/warder/releases/14.2-RELEASE"),
        List.of("zfs", "list", "-H", "-o", "name", "zroot/warder/releases/14.2-RELEASE"),
        List.of("zfs", "destroy", "-r", "zroot/warder/releases/14.2-RELEASE"));
  }

  @Test
  void testZfsFuse_unmountsDeepestFirstBeforeRenameAndRemountsAfter() throws Exception {
    RecordingCommandRunner runner = new RecordingCommandRunner(argv -> argv.contains("-r") && argv.get(1).equals("list")
        ? new CommandResult(0, "p/w/releases/s\np/w/releases/s/root\n", "")
        : new CommandResult(0, "", ""));
    new ZfsStorage(runner, "p/w", ROOT, true).rename("releases/s", "releases/r");
    assertThat(runner.commands()).containsExactly(
        List.of("zfs", "create", "-p", "p/w/releases"),
        List.of("zfs", "list", "-H", "-r", "-o", "name", "p/w/releases/s"),
        List.of("zfs", "umount", "p/w/releases/s/root"),
        List.of("zfs", "umount", "p/w/releases/s"),
        List.of("zfs", "rename", "p/w/releases/s", "p/w/releases/r"),
        List.of("zfs", "mount", "p/w/releases/r"),
        List.of("zfs", "mount", "p/w/releases/r/root"));
  }

  @Test
  void testDestroy_missingDatasetIsNothing() throws Exception {
    RecordingCommandRunner runner = new RecordingCommandRunner(argv -> new CommandResult(1, "", "dataset does not exist"));
    new ZfsStorage(runner, "p/w", ROOT, false).destroy("releases/x");
    assertThat(runner.commands()).containsExactly(List.of("zfs", "list", "-H", "-o", "name", "p/w/releases/x"));
  }
}
