package org.warder.client.storage;

import java.io.IOException;

/** An operation needs ZFS (snapshots, rollback) but this host keeps plain directories. */
public final class SnapshotsUnsupportedException extends IOException {
  private static final long serialVersionUID = 1L;

  public SnapshotsUnsupportedException(String what) {
    super(
        what
            + " needs ZFS storage, but this host stores plain directories; run 'warder activate POOL/DATASET'"
            + " to keep releases and jails on ZFS");
  }
}
