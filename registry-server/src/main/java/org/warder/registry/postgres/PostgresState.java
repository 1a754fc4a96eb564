package org.warder.registry.postgres;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import org.warder.registry.repo.Coordination;
import org.warder.registry.shared.SharedState;

/** The {@link SharedState} of a registry whose nodes share a PostgreSQL database. */
public final class PostgresState {
  /** How long a node waits for the lease's holder to publish a relayed submission. */
  static final Duration RELAY_TIMEOUT = Duration.ofSeconds(60);

  private PostgresState() {}

  /**
   * Tokens, upload sessions, writer lock, signer lease and relay of submissions in {@code
   * database}; this node starts competing for the lease at once (see {@link PostgresSignerLease}).
   * Closing the state closes {@code database}.
   */
  public static SharedState open(
      Database database, Clock clock, Duration leaseDuration, Duration renewEvery, PrintWriter err)
      throws IOException {
    String node = nodeName();
    PostgresSignerLease lease =
        new PostgresSignerLease(database, node, leaseDuration, renewEvery, err);
    PostgresSubmissionRelay relay = new PostgresSubmissionRelay(database, node, RELAY_TIMEOUT, err);
    return new SharedState(
        new PostgresTokenStore(database, clock),
        SharedUploadSessions.factory(database),
        new Coordination(new PostgresWriterLock(database), lease, relay),
        () -> {
          try (database;
              lease;
              relay) {
            // the relay stops taking submissions first, then the lease is released, then the
            // database's pool is closed
          }
        });
  }

  /** This node's name in the lease: host, process id and a random part (unique per start). */
  static String nodeName() throws IOException {
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    return InetAddress.getLocalHost().getHostName()
        + "/"
        + ProcessHandle.current().pid()
        + "/"
        + HexFormat.of().formatHex(random);
  }
}
