package org.warder.registry.repo;

import org.warder.registry.storage.DataLock;
import org.warder.registry.storage.RegistryLayout;
import org.warder.registry.storage.WriterLock;

/**
 * How the nodes of one registry take turns changing it: one writer at a time, one signer of the
 * snapshot and timestamp, and the relay of submissions to that signer.
 */
public record Coordination(WriterLock writerLock, SignerLease signerLease, SubmissionRelay relay) {
  /** A registry that runs as one process: the data directory's lock, always the signer. */
  public static Coordination sole(RegistryLayout layout) {
    return new Coordination(DataLock.writerLock(layout), SignerLease.SOLE, SubmissionRelay.NONE);
  }
}
