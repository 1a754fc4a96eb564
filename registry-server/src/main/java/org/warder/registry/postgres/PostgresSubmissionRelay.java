package org.warder.registry.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.warder.registry.api.ErrorCode;
import org.warder.registry.api.RegistryException;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.repo.SubmissionRelay;

/**
 * Relays submissions through the {@code submission} table: the relaying node inserts the role and
 * body and polls for the outcome; the node holding the signer lease takes each row (locked {@code
 * FOR UPDATE SKIP LOCKED} while it publishes, so a holder that dies leaves it to the next) and
 * writes the outcome in the same transaction. A relayed submission nobody took within the timeout
 * is withdrawn: nothing was published. Thread-safe.
 */
public final class PostgresSubmissionRelay implements SubmissionRelay, Closeable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long POLL_MILLIS = 50;

  private final Database database;
  private final String node;
  private final Duration timeout;
  private final PrintWriter err;
  private final ScheduledExecutorService worker;
  private Optional<Connection> workerConnection = Optional.empty(); // the worker thread's only

  /**
   * A relay for node {@code node} (its name in the signer lease) that waits up to {@code timeout}
   * for a relayed submission's outcome; failures of the holder's side are reported on {@code err}.
   */
  public PostgresSubmissionRelay(
      Database database, String node, Duration timeout, PrintWriter err) {
    this.database = database;
    this.node = node;
    this.timeout = timeout;
    this.err = err;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "registry-relayed-submissions");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Inserts the submission and polls for its outcome, each step on a connection borrowed from the
   * pool and given back at once: a wait of up to the timeout holds none.
   */
  @Override
  public RegistryRepository.Published relay(String role, byte[] body)
      throws RegistryException, IOException {
    try {
      long id;
      try (Connection c = database.connect();
          PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO submission (role, body) VALUES (?, ?) RETURNING id")) {
        insert.setString(1, role);
        insert.setBytes(2, body);
        try (ResultSet row = insert.executeQuery()) {
          row.next();
          id = row.getLong(1);
        }
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      Optional<String> outcome = outcome(id);
      while (outcome.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(POLL_MILLIS);
        outcome = outcome(id);
      }
      if (outcome.isEmpty() && withdraw(id)) {
        throw new RegistryException(
            ErrorCode.NOT_SIGNER,
            "cannot publish "
                + role
                + ": expected the node holding the signer lease to take the submission within "
                + timeout.toSeconds()
                + " s, found none did (nothing was published); retry",
            Map.of("role", role));
      }
      if (outcome.isEmpty()) {
        outcome = outcome(id); // taken meanwhile: withdrawing waited for its outcome
      }
      update("DELETE FROM submission WHERE id = ?", id);
      return published(role, outcome.orElseThrow());
    } catch (SQLException e) {
      throw database.failure("relay a submission through", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for a relayed submission", e);
    }
  }

  private Optional<String> outcome(long id) throws SQLException, IOException {
    try (Connection c = database.connect();
        PreparedStatement s =
            c.prepareStatement("SELECT outcome::text FROM submission WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet row = s.executeQuery()) {
        return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
      }
    }
  }

  /**
   * Deletes submission {@code id} unless it has an outcome; waits while a holder publishes it.
   * Returns whether it was withdrawn.
   */
  private boolean withdraw(long id) throws SQLException, IOException {
    return update("DELETE FROM submission WHERE id = ? AND outcome IS NULL", id) > 0;
  }

  /** Runs {@code sql} with the submission {@code id}; the number of rows it changed. */
  private int update(String sql, long id) throws SQLException, IOException {
    try (Connection c = database.connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setLong(1, id);
      return s.executeUpdate();
    }
  }

  private static RegistryRepository.Published published(String role, String outcome)
      throws RegistryException, IOException {
    JsonNode o = JSON.readTree(outcome);
    if (o.has("error")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> detail = JSON.convertValue(o.path("detail"), Map.class);
      throw new RegistryException(
          ErrorCode.valueOf(o.path("error").asText()), o.path("message").asText(), detail);
    }
    return new RegistryRepository.Published(
        role,
        o.path("version").asLong(),
        o.path("snapshot").asLong(),
        o.path("timestamp").asLong());
  }

  @Override
  public void serve(Submitter signer) {
    Future<?> unused =
        worker.scheduleWithFixedDelay(
            () -> {
              try {
                while (takeOne(signer)) {
                  // until no relayed submission waits
                }
              } catch (IOException | RuntimeException e) {
                err.println("warder-registry: cannot take relayed submissions: " + e.getMessage());
                err.flush();
              }
            },
            0,
            POLL_MILLIS,
            TimeUnit.MILLISECONDS);
  }

  /**
   * Publishes the oldest waiting submission while this node holds the lease; whether it did. Polls
   * on one connection, kept from round to round (opened again after a failure).
   */
  private boolean takeOne(Submitter signer) throws IOException {
    if (workerConnection.isEmpty()) {
      Connection opened = database.connect();
      try {
        opened.setAutoCommit(false);
      } catch (SQLException e) {
        Database.close(opened);
        throw database.failure("take relayed submissions from", e);
      }
      workerConnection = Optional.of(opened);
    }
    Connection c = workerConnection.get();
    try (PreparedStatement take =
        c.prepareStatement(
            "SELECT id, role, body FROM submission WHERE outcome IS NULL AND EXISTS (SELECT 1"
                + " FROM signer_lease WHERE holder = ? AND expires > now())"
                + " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
      take.setString(1, node);
      try (ResultSet row = take.executeQuery()) {
        if (!row.next()) {
          c.rollback();
          return false;
        }
        long id = row.getLong("id");
        Optional<ObjectNode> outcome = publish(signer, row.getString("role"), row.getBytes("body"));
        if (outcome.isEmpty()) {
          c.rollback(); // lost the lease meanwhile: the next holder takes it
          return false;
        }
        try (PreparedStatement done =
            c.prepareStatement("UPDATE submission SET outcome = ?::jsonb WHERE id = ?")) {
          done.setString(1, JSON.writeValueAsString(outcome.get()));
          done.setLong(2, id);
          done.executeUpdate();
        }
        c.commit();
        return true;
      }
    } catch (SQLException e) {
      workerConnection = Optional.empty();
      Database.close(c);
      throw database.failure("take relayed submissions from", e);
    }
  }

  /** The outcome of publishing {@code body}; empty when this node no longer holds the lease. */
  private static Optional<ObjectNode> publish(Submitter signer, String role, byte[] body)
      throws JsonProcessingException {
    ObjectNode outcome = JSON.createObjectNode();
    try {
      RegistryRepository.Published published = signer.submit(role, body);
      outcome.put("version", published.version());
      outcome.put("snapshot", published.snapshot());
      outcome.put("timestamp", published.timestamp());
    } catch (RegistryException e) {
      if (e.code() == ErrorCode.NOT_SIGNER) {
        return Optional.empty();
      }
      outcome.put("error", e.code().name());
      outcome.put("message", e.getMessage());
      outcome.set("detail", JSON.valueToTree(e.detail()));
    } catch (Exception e) {
      outcome.put("error", ErrorCode.INTERNAL.name());
      outcome.put("message", "the signing node failed: " + e.getMessage());
      outcome.set("detail", JSON.createObjectNode());
    }
    return Optional.of(outcome);
  }

  /** Stops taking relayed submissions (those taken are finished first). */
  @Override
  public void close() throws IOException {
    worker.shutdown();
    try {
      if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
        worker.shutdownNow();
        throw new IOException("relayed submissions were still being published after 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the relay of submissions", e);
    }
    workerConnection.ifPresent(Database::close); // the worker has ended
    workerConnection = Optional.empty();
  }
}
