package org.warder.registry.storage;

import java.io.IOException;

/**
 * A conditional write of the {@link RegistryStore} found the object changed by another writer: the
 * store is as that writer left it, and nothing of this write is visible.
 */
public final class StoreConflictException extends IOException {
  private static final long serialVersionUID = 1L;

  public StoreConflictException(String message) {
    super(message);
  }
}
