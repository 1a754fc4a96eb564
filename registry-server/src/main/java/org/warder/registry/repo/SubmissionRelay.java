package org.warder.registry.repo;

import java.io.IOException;
import org.warder.registry.api.ErrorCode;
import org.warder.registry.api.RegistryException;
import org.warder.signing.SigningException;

/**
 * How a node that does not hold the {@link SignerLease} gets a submission published: it hands the
 * submission to the node that holds it and waits for the outcome, so that publishers may use any
 * node while one signs. Every node serves the relay; only the lease's holder takes submissions.
 */
public interface SubmissionRelay {
  /** A single process always holds the lease: nothing to relay to. */
  SubmissionRelay NONE =
      new SubmissionRelay() {
        @Override
        public RegistryRepository.Published relay(String role, byte[] body)
            throws RegistryException {
          throw new RegistryException(
              ErrorCode.NOT_SIGNER,
              "cannot publish "
                  + role
                  + ": expected this node to hold the signer lease or to relay to its holder,"
                  + " found neither; retry, through another node");
        }

        @Override
        public void serve(Submitter signer) {}
      };

  /** What the holder does with a relayed submission: publish it, never relaying it again. */
  @FunctionalInterface
  interface Submitter {
    RegistryRepository.Published submit(String role, byte[] body)
        throws RegistryException, IOException, SigningException;
  }

  /** Has the lease's holder publish {@code body} as {@code role}; waits for the outcome. */
  RegistryRepository.Published relay(String role, byte[] body)
      throws RegistryException, IOException;

  /** Takes relayed submissions to {@code signer} whenever this node holds the lease. */
  void serve(Submitter signer);
}
