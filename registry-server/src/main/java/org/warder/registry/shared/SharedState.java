package org.warder.registry.shared;

import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import org.warder.registry.storage.DataLock;
import org.warder.registry.storage.FileTokenStore;
import org.warder.registry.storage.RegistryLayout;
import org.warder.registry.storage.TokenStore;
import org.warder.registry.storage.WriterLock;

/**
 * What the nodes of one registry share besides its storage: the tokens, the writer lock around
 * metadata changes and the signer lease. In the data directory for a single process ({@link
 * #files}); in PostgreSQL when several nodes run. Closing it releases what it holds (the lease, the
 * database).
 *
 * @param resources what {@link #close} releases
 */
public record SharedState(
    TokenStore tokens, WriterLock writerLock, SignerLease signerLease, Closeable resources)
    implements Closeable {

  /** The single-process default: tokens and lock in {@code layout}, the lease always held. */
  public static SharedState files(RegistryLayout layout, Clock clock) {
    return new SharedState(
        new FileTokenStore(layout, clock), DataLock.writerLock(layout), SignerLease.SOLE, () -> {});
  }

  @Override
  public void close() throws IOException {
    resources.close();
  }
}
