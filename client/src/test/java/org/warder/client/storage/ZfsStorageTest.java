package org.warder.client.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
    assertThat(zfs.create("releases/staging-14.2-RELEASE/root"))
        .isEqualTo(ROOT.resolve("releases/staging-14.2-RELEASE/root"));
    zfs.rename("releases/staging-14.2-RELEASE", "releases/14.2-RELEASE");
    zfs.destroy("releases/14.2-RELEASE");
    assertThat(runner.commands())
        .containsExactly(
            List.of("zfs", "create", "-p", "zroot/warder/releases/staging-14.2-RELEASE/root"),
            List.of("zfs", "create", "-p", "zroot/warder/releases"),
            List.of(
                "zfs",
                "rename",
                "zroot/warder/releases/staging-14.2-RELEASE",
                "zroot/warder/releases/14.2-RELEASE"),
            List.of("zfs", "list", "-H", "-o", "name", "zroot/warder/releases/14.2-RELEASE"),
            List.of("zfs", "destroy", "-r", "zroot/warder/releases/14.2-RELEASE"));
  }

  @Test
  void testZfsFuse_unmountsDeepestFirstBeforeRenameAndRemountsAfter() throws Exception {
    RecordingCommandRunner runner =
        new RecordingCommandRunner(
            argv ->
                argv.contains("-r") && argv.get(1).equals("list")
                    ? new CommandResult(0, "p/w/releases/s\np/w/releases/s/root\n", "")
                    : new CommandResult(0, "", ""));
    new ZfsStorage(runner, "p/w", ROOT, true).rename("releases/s", "releases/r");
    assertThat(runner.commands())
        .containsExactly(
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
    RecordingCommandRunner runner =
        new RecordingCommandRunner(argv -> new CommandResult(1, "", "dataset does not exist"));
    new ZfsStorage(runner, "p/w", ROOT, false).destroy("releases/x");
    assertThat(runner.commands())
        .containsExactly(List.of("zfs", "list", "-H", "-o", "name", "p/w/releases/x"));
  }

  private static final String HOST_PROPERTIES =
      "mountpoint,canmount,sharenfs,sharesmb,devices,setuid,exec,jailed,quota,"
          + "refquota,reservation,refreservation,mounted";

  /**
   * A begin record as zfs send writes it: little-endian, a substream (1) or compound stream (2) of
   * a filesystem.
   */
  private static byte[] stream(int headerType) {
    ByteBuffer b =
        ByteBuffer.allocate(SendStreamBegin.RECORD_BYTES + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(8, SendStreamBegin.MAGIC).putLong(16, headerType).putInt(32, 2);
    return b.array();
  }

  /**
   * What {@code zfs get -H -r -o name,property,value,source HOST_PROPERTIES} answers, mountpoint as
   * given.
   */
  private static String properties(String dataset, String mountpoint, String source) {
    return dataset
        + "\tmountpoint\t"
        + mountpoint
        + "\t"
        + source
        + "\n"
        + dataset
        + "\tcanmount\ton\tlocal\n"
        + dataset
        + "\tsharenfs\toff\tdefault\n"
        + dataset
        + "\tdevices\ton\tinherited from zroot\n"
        + dataset
        + "\tjailed\toff\tdefault\n"
        + dataset
        + "\tmounted\tno\t-\n"
        + dataset
        + "@tag-1\tmountpoint\t-\t-\n";
  }

  @Test
  void testFreebsd_receive_unmountedPropertiesExcludedCheckedThenMountedUnderTheRoot()
      throws Exception {
    String ds = "zroot/warder/staging/import-1/root";
    RecordingCommandRunner runner =
        new RecordingCommandRunner(
            argv ->
                argv.get(1).equals("list")
                    ? new CommandResult(1, "", "dataset does not exist")
                    : argv.get(1).equals("get")
                        ? new CommandResult(
                            0,
                            properties(
                                ds, ROOT + "/staging/import-1/root", "inherited from zroot/warder"),
                            "")
                        : new CommandResult(0, "", ""));
    new ZfsStorage(runner, "zroot/warder", ROOT, false)
        .receive("staging/import-1/root", new ByteArrayInputStream(stream(1)));
    assertThat(runner.commands())
        .containsExactly(
            List.of("zfs", "create", "-p", "zroot/warder/staging/import-1"),
            List.of("zfs", "list", "-H", "-o", "name", ds),
            List.of(
                "zfs",
                "receive",
                "-u",
                "-x",
                "mountpoint",
                "-x",
                "sharenfs",
                "-x",
                "sharesmb",
                "-x",
                "devices",
                "-x",
                "setuid",
                "-x",
                "exec",
                "-x",
                "jailed",
                "-o",
                "canmount=on",
                ds),
            List.of(
                "zfs", "get", "-H", "-r", "-o", "name,property,value,source", HOST_PROPERTIES, ds),
            List.of("zfs", "mount", ds));
  }

  @Test
  void testFreebsd_receive_propertyStreamRefusedBeforeReceiveStarts() {
    RecordingCommandRunner runner =
        new RecordingCommandRunner(
            argv -> new CommandResult(argv.get(1).equals("list") ? 1 : 0, "", ""));
    assertThatThrownBy(
            () ->
                new ZfsStorage(runner, "zroot/warder", ROOT, false)
                    .receive("staging/import-1/root", new ByteArrayInputStream(stream(2))))
        .isInstanceOf(RefusedStreamException.class)
        .hasMessageContaining("found a replication or property stream");
    assertThat(runner.commands()).noneMatch(argv -> argv.contains("receive"));
  }

  @Test
  void testFreebsd_receive_hostMountpointAfterReceiveIsDestroyedUnmounted() {
    String ds = "zroot/warder/staging/import-1/root";
    boolean[] received = {false};
    RecordingCommandRunner runner =
        new RecordingCommandRunner(
            argv -> {
              received[0] |= argv.get(1).equals("receive");
              return argv.get(1).equals("list")
                  ? new CommandResult(received[0] ? 0 : 1, "", "")
                  : argv.get(1).equals("get")
                      ? new CommandResult(0, properties(ds, "/usr/local/etc/rc.d", "received"), "")
                      : new CommandResult(0, "", "");
            });
    assertThatThrownBy(
            () ->
                new ZfsStorage(runner, "zroot/warder", ROOT, false)
                    .receive("staging/import-1/root", new ByteArrayInputStream(stream(1))))
        .isInstanceOf(RefusedStreamException.class)
        .hasMessage(
            "expected the received dataset to mount at its own path below /usr/local/warder and to take no"
                + " property from the stream, found "
                + ds
                + " mountpoint=/usr/local/etc/rc.d (received); warder never"
                + " lets a stream's properties act on this host: "
                + ds
                + " was destroyed again");
    assertThat(runner.commands())
        .noneMatch(argv -> argv.get(1).equals("mount"))
        .contains(List.of("zfs", "destroy", "-r", ds));
  }
}
