package org.warder.registry.shared;

import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import org.warder.registry.repo.Coordination;
import org.warder.registry.storage.FileTokenStore;
import org.warder.registry.storage.FileUploadSessions;
import org.warder.registry.storage.RegistryLayout;
import org.warder.registry.storage.TokenStore;
import org.warder.registry.storage.UploadSessions;

/**
 * What the nodes of one registry share besides its storage: the tokens, the upload sessions, and
 * the {@link Coordination} of their changes (writer lock, signer lease, relay of submissions). In
 * the data directory for a single process ({@link #files}); in PostgreSQL when several nodes run.
 * Closing it releases what it holds (the lease, the database).
 *
 * @param resources what {@link #close} releases
 */
public record SharedState(
    TokenStore tokens,
    UploadSessions.Factory uploads,
    Coordination coordination,
    Closeable resources)
    implements Closeable {

  /**
   * The single-process default: tokens, upload sessions and lock in {@code layout}, the lease
   * always held.
   */
  public static SharedState files(RegistryLayout layout, Clock clock) {
    return new SharedState(
        new FileTokenStore(layout, clock),
        FileUploadSessions.FACTORY,
        Coordination.sole(layout),
        () -> {});
  }

  @Override
  public void close() throws IOException {
    resources.close();
  }
}
