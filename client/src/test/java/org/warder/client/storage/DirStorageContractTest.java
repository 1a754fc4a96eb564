package org.warder.client.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.exec.ProcessCommandRunner;

/** Directory storage passes the storage contract, and offers no snapshots. */
class DirStorageContractTest extends StorageContract {
  @TempDir Path tmp;

  @Override
  Storage storage() {
    return new DirStorage(
        tmp, new ProcessCommandRunner(org.warder.client.progress.Reporter.silent(), false), false);
  }

  @Test
  void testSnapshots_notOffered() {
    assertThat(storage().snapshots()).isEmpty();
  }
}
