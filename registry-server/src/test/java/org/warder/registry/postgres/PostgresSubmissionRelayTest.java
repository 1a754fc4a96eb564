package org.warder.registry.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.warder.registry.api.ErrorCode;
import org.warder.registry.api.RegistryException;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.testing.PostgresDatabase;

/**
 * Submissions relayed through the {@code submission} table of a real PostgreSQL, between a relay
 * standing for the node without the lease and one standing for its holder.
 */
class PostgresSubmissionRelayTest {
  @RegisterExtension final PostgresDatabase postgres = new PostgresDatabase();

  private final StringWriter errors = new StringWriter();
  private PostgresSubmissionRelay holder;
  private PostgresSubmissionRelay other;

  @BeforeEach
  void setUp() throws Exception {
    Database database = postgres.open();
    sql(
        "INSERT INTO signer_lease (name, holder, expires)"
            + " VALUES ('snapshot-timestamp', 'holder', now() + interval '1 hour')");
    PrintWriter err = new PrintWriter(errors, true);
    holder = new PostgresSubmissionRelay(database, "holder", Duration.ofSeconds(1), err);
    other = new PostgresSubmissionRelay(database, "other", Duration.ofSeconds(1), err);
  }

  @AfterEach
  void tearDown() throws Exception {
    holder.close();
    other.close();
  }

  private long sql(String statement) throws Exception {
    try (Connection c = postgres.connect();
        Statement s = c.createStatement()) {
      if (s.execute(statement)) {
        try (ResultSet r = s.getResultSet()) {
          r.next();
          return r.getLong(1);
        }
      }
      return s.getUpdateCount();
    }
  }

  @Test
  void testRelay_theHolderPublishesAndAnswers() throws Exception {
    holder.serve((role, body) -> new RegistryRepository.Published(role, body.length, 7, 9));
    AtomicInteger takenWithoutLease = new AtomicInteger();
    other.serve(
        (role, body) -> {
          takenWithoutLease.incrementAndGet();
          return new RegistryRepository.Published(role, 0, 0, 0);
        });

    assertThat(other.relay("acme", new byte[3]))
        .isEqualTo(new RegistryRepository.Published("acme", 3, 7, 9));
    assertThat(takenWithoutLease.get()).isZero();
    assertThat(sql("SELECT count(*) FROM submission")).as("answered rows are deleted").isZero();
    assertThat(errors.toString()).isEmpty();
  }

  @Test
  void testRelay_theHoldersRefusalReachesThePublisher() throws Exception {
    holder.serve(
        (role, body) -> {
          throw new RegistryException(
              ErrorCode.VERSION_NOT_INCREASED,
              "expected a version above 3, found 3",
              Map.of("role", role, "found", 3));
        });

    assertThatThrownBy(() -> other.relay("acme", new byte[3]))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.VERSION_NOT_INCREASED);
              assertThat(e.getMessage()).isEqualTo("expected a version above 3, found 3");
              assertThat(e.detail()).isEqualTo(Map.of("role", "acme", "found", 3));
            });
  }

  @Test
  void testRelay_noHolderTakesIt_withdrawnAfterTheTimeout() throws Exception {
    long started = System.nanoTime();

    assertThatThrownBy(() -> other.relay("acme", new byte[3]))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.NOT_SIGNER);
              assertThat(e.getMessage()).contains("within 1 s", "nothing was published");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(10));
    assertThat(sql("SELECT count(*) FROM submission")).isZero();
  }
}
