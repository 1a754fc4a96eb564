package org.warder.client.jail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.warder.client.storage.DiskUsage;
import org.warder.client.storage.Storage;

/** {@code warder df}: what each jail's directory (dataset) takes on this host's storage. */
public final class JailUsage {
  private final Storage storage;
  private final JailStore store;

  JailUsage(Storage storage, JailStore store) {
    this.storage = storage;
    this.store = store;
  }

  /** One jail's usage. */
  public record Row(String name, DiskUsage usage) {}

  /** Every jail's usage, by name. */
  public List<Row> all() throws JailException, IOException, InterruptedException {
    List<Row> rows = new ArrayList<>();
    for (Jail jail : store.all(false)) {
      rows.add(new Row(jail.name().value(), storage.usage(jail.storageName())));
    }
    return rows;
  }

  /** {@code dir} or {@code zfs}: which values the rows can have. */
  public String storageKind() {
    return storage.kind();
  }
}
