package org.warder.client.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.testing.TempDirStorage;

/** The test double passes the same contract as the real adapters, snapshots included. */
class TempDirStorageContractTest extends SnapshotStorageContract {
  @TempDir Path tmp;

  @Override
  Storage storage() {
    try {
      return new TempDirStorage(tmp.resolve("storage-" + System.nanoTime()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
