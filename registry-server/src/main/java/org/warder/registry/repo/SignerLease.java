package org.warder.registry.repo;

import java.io.IOException;

/**
 * Who may sign the snapshot and the timestamp: one node at a time. A node that does not hold the
 * lease never signs, so that clients never see two timestamps of one version. A single process
 * always holds it ({@link #SOLE}); several nodes share one in PostgreSQL, renewed by its holder and
 * taken over by another node once it expires.
 */
public interface SignerLease {
  /** The lease of a registry that runs as one process: always held. */
  SignerLease SOLE = () -> new Check(true, "this process");

  /**
   * Whether this node holds the lease now (renewing it, or taking it when nobody holds it).
   *
   * @param holder who holds the lease, for messages
   */
  record Check(boolean held, String holder) {}

  /** Checks (and renews) the lease; call it right before signing, under the writer lock. */
  Check check() throws IOException;

  /**
   * Runs {@code action} each time this node takes the lease (it must return quickly: hand work to
   * another thread). A lease that is always held never runs it.
   */
  default void whenTaken(Runnable action) {}
}
