package org.warder.registry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.warder.registry.api.RegistryException;
import org.warder.registry.http.RegistryServer;
import org.warder.registry.postgres.Database;
import org.warder.registry.postgres.PostgresState;
import org.warder.registry.repo.Coordination;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.repo.SubmissionRelay;
import org.warder.registry.shared.SharedState;
import org.warder.registry.storage.FileSystemStore;
import org.warder.registry.storage.RegistryLayout;
import org.warder.registry.storage.RegistryStore;
import org.warder.registry.storage.TokenStore;

/**
 * One node of a registry whose nodes share a PostgreSQL database, in this JVM: its own connections,
 * writer lock, lease renewal, relay, upload sessions shared with the other nodes and HTTP server on
 * a loopback port, as a machine of its own would have. Counts the submissions it relays to the
 * signer.
 */
public final class PostgresNode implements AutoCloseable {
  private final SharedState state;
  private final RegistryRepository repository;
  private final RegistryServer server;
  private final AtomicInteger relayed = new AtomicInteger();
  private final StringWriter errors = new StringWriter();

  private PostgresNode(
      RegistryLayout layout,
      RegistryStore store,
      PostgresDatabase postgres,
      Duration lease,
      Duration renew)
      throws Exception {
    Database database = postgres.open();
    state =
        PostgresState.open(
            database, Clock.systemUTC(), lease, renew, new PrintWriter(errors, true));
    Coordination shared = state.coordination();
    SubmissionRelay counting =
        new SubmissionRelay() {
          @Override
          public RegistryRepository.Published relay(String role, byte[] body)
              throws RegistryException, IOException {
            relayed.incrementAndGet();
            return shared.relay().relay(role, body);
          }

          @Override
          public void serve(Submitter signer) {
            shared.relay().serve(signer);
          }
        };
    repository =
        RegistryRepository.open(
            layout,
            store,
            Clock.systemUTC(),
            new Coordination(shared.writerLock(), shared.signerLease(), counting));
    server =
        new RegistryServer(
            repository,
            state.tokens(),
            state.uploads(),
            RegistryServer.Settings.defaults(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withStopTimeout(Duration.ofMillis(500)),
            Optional.empty(),
            new PrintWriter(errors, true));
    server.start();
  }

  /**
   * Starts a node serving {@code layout} with the database {@code postgres}; its lease lasts {@code
   * lease}, renewed every {@code renew}.
   */
  public static PostgresNode start(
      RegistryLayout layout, PostgresDatabase postgres, Duration lease, Duration renew)
      throws Exception {
    return new PostgresNode(layout, new FileSystemStore(layout), postgres, lease, renew);
  }

  /** A node as {@link #start} makes, over {@code store}. */
  public static PostgresNode start(
      RegistryLayout layout,
      RegistryStore store,
      PostgresDatabase postgres,
      Duration lease,
      Duration renew)
      throws Exception {
    return new PostgresNode(layout, store, postgres, lease, renew);
  }

  public RegistryRepository repository() {
    return repository;
  }

  public TokenStore tokens() {
    return state.tokens();
  }

  public URI url() {
    return server.url();
  }

  /** How many submissions this node relayed to the signer. */
  public int relayed() {
    return relayed.get();
  }

  /** Whether this node holds the signer lease now (checking renews or takes it). */
  public boolean holdsLease() throws IOException {
    return state.coordination().signerLease().check().held();
  }

  /** Waits until this node holds the lease, failing after {@code within}. */
  public void awaitLease(Duration within) throws Exception {
    Instant deadline = Instant.now().plus(within);
    while (!holdsLease()) {
      assertThat(Instant.now())
          .as("the lease moves within " + within + "; node errors: " + errors)
          .isBefore(deadline);
      Thread.sleep(100);
    }
  }

  public Publisher publisher(String token) {
    return new Publisher(new Http(server.url()), token);
  }

  /** Stops the server, then releases the lease. */
  @Override
  public void close() throws IOException {
    try (state) {
      server.close();
    }
  }
}
