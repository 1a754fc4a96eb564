package org.warder.client.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.exec.ProcessCommandRunner;
import org.warder.client.testing.ZfsPool;

/** ZFS storage on a real zfs-fuse pool passes the storage contract, snapshots included. */
class ZfsStorageContractTest extends SnapshotStorageContract {
  @TempDir Path tmp;
  private ZfsPool pool;
  private ZfsStorage storage;

  @BeforeEach
  void openPool() throws Exception {
    pool = ZfsPool.create(tmp, 128);
    Path root = tmp.resolve("root");
    pool.zfs("create", "-o", "mountpoint=" + root, pool.name() + "/w");
    storage =
        new ZfsStorage(
            new ProcessCommandRunner(org.warder.client.progress.Reporter.silent(), false),
            pool.name() + "/w",
            root,
            true);
  }

  @AfterEach
  void closePool() throws Exception {
    if (pool != null) {
      pool.close();
    }
  }

  @Override
  Storage storage() {
    return storage;
  }
}
