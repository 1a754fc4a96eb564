package org.warder.registry.storage;

import java.io.IOException;

/**
 * The one writer of the repository's metadata at a time: held around every change (a submission, a
 * delegation, a re-signing, gc), so that no change is built on metadata another is replacing.
 * {@link DataLock} on one data directory, or a PostgreSQL advisory lock shared by every node.
 * Reentrant within a thread.
 */
@FunctionalInterface
public interface WriterLock {
  /** Blocks until this thread holds the lock. */
  Held acquire() throws IOException;

  /** A held lock; closing it releases it. */
  interface Held extends AutoCloseable {
    @Override
    void close() throws IOException;
  }
}
