package org.warder.client.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.exec.ProcessCommandRunner;
import org.warder.client.progress.Reporter;
import org.warder.client.testing.HostileStreams;
import org.warder.client.testing.ZfsPool;

/**
 * The adapter on a real zfs-fuse pool: plain and incremental streams are received below the warder
 * root, and the check of effective properties after a receive (the second line of defence, behind
 * the begin record's) finds a dataset whose mountpoint or a space reservation was set from outside
 * the warder root's inheritance, and destroys it.
 */
class ZfsReceivedPropertiesTest {
  @TempDir Path tmp;

  @Test
  void testReceive_plainAndIncrementalStreamsLandBelowTheRoot() throws Exception {
    try (ZfsPool pool = ZfsPool.create(tmp, 128)) {
      HostileStreams streams = HostileStreams.make(pool, tmp.resolve("host-dir"));
      ZfsStorage zfs = storage(pool);
      zfs.receive("jails/web/root", new ByteArrayInputStream(streams.plain()));
      zfs.receive("jails/web/root", new ByteArrayInputStream(streams.incremental()));
      assertThat(tmp.resolve("root/jails/web/root/owned"))
          .hasContent("written through a hijacked mountpoint");
      assertThat(tmp.resolve("root/jails/web/root/more")).hasContent("more");
      assertThat(zfs.list("jails/web/root")).containsExactly("s1", "s2");
      streams.assertHostDirUntouched();
      assertThat(pool.mountedOutside(List.of(tmp.resolve("root")))).isEmpty();
    }
  }

  @Test
  void testCheckReceived_mountpointOrShareSetOnTheDatasetIsRefusedAndDestroyed() throws Exception {
    try (ZfsPool pool = ZfsPool.create(tmp, 128)) {
      ZfsStorage zfs = storage(pool);
      Path hostDir = Files.createDirectories(tmp.resolve("host-dir"));
      zfs.create("staging/import-1");
      pool.zfs("create", "-o", "mountpoint=" + hostDir, pool.name() + "/w/staging/import-1/root");
      String ds = pool.name() + "/w/staging/import-1/root";
      assertThatThrownBy(() -> zfs.checkReceived("staging/import-1/root", false))
          .isInstanceOf(RefusedStreamException.class)
          .hasMessage(
              "expected the received dataset to mount at its own path below "
                  + tmp.resolve("root")
                  + " and to"
                  + " take no property from the stream, found "
                  + ds
                  + " mountpoint="
                  + hostDir
                  + " (local); warder never"
                  + " lets a stream's properties act on this host: "
                  + ds
                  + " was destroyed again");
      assertThat(pool.exists(ds)).isFalse();
      assertThat(pool.mountedOutside(List.of(tmp.resolve("root")))).isEmpty();

      zfs.create("staging/import-2/root");
      pool.zfs("set", "reservation=16M", pool.name() + "/w/staging/import-2/root");
      assertThatThrownBy(() -> zfs.checkReceived("staging/import-2/root", false))
          .hasMessageContaining("/w/staging/import-2/root reservation=16M (local)");
      assertThat(pool.exists(pool.name() + "/w/staging/import-2/root")).isFalse();
    }
  }

  /**
   * zfs-fuse storage whose base dataset {@code POOL/w} is mounted at {@code <tmp>/root}, as
   * activate makes it.
   */
  private ZfsStorage storage(ZfsPool pool) throws Exception {
    Path root = tmp.resolve("root");
    pool.zfs("create", "-o", "mountpoint=" + root, pool.name() + "/w");
    return new ZfsStorage(
        new ProcessCommandRunner(Reporter.silent(), false), pool.name() + "/w", root, true);
  }
}
