package org.warder.client.storage;

import java.io.IOException;

/**
 * A {@code zfs send} stream refused before {@code zfs receive} saw a byte of it (it carries dataset
 * properties, is a replication or clone stream, is not a stream at all), or a received dataset
 * whose properties would act on the host, destroyed again.
 */
public final class RefusedStreamException extends IOException {
  private static final long serialVersionUID = 1L;

  public RefusedStreamException(String message) {
    super(message);
  }
}
