package org.warder.registry.postgres;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import org.warder.registry.shared.SharedState;

/** The {@link SharedState} of a registry whose nodes share a PostgreSQL database. */
public final class PostgresState {
  private PostgresState() {}

  /**
   * Tokens, writer lock and signer lease in {@code database}; this node starts competing for the
   * lease at once (see {@link PostgresSignerLease}).
   */
  public static SharedState open(
      Database database, Clock clock, Duration leaseDuration, Duration renewEvery, PrintWriter err)
      throws IOException {
    PostgresSignerLease lease =
        new PostgresSignerLease(database, nodeName(), leaseDuration, renewEvery, err);
    return new SharedState(
        new PostgresTokenStore(database, clock), new PostgresWriterLock(database), lease, lease);
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
