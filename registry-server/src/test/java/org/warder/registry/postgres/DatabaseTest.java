package org.warder.registry.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.warder.registry.testing.PostgresDatabase;

/** The pool of a node's connections and the dedicated sessions of locks, on a real PostgreSQL. */
class DatabaseTest {
  @RegisterExtension final PostgresDatabase postgres = new PostgresDatabase();

  private static String show(Connection c, String setting) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SHOW " + setting)) {
      r.next();
      return r.getString(1);
    }
  }

  @Test
  void testConnect_twelveConcurrentOperations_shareAtMostPoolSizeSessions() throws Exception {
    Set<Integer> backends = ConcurrentHashMap.newKeySet();
    try (Database database =
        Database.open(
            postgres.url(), Optional.of(postgres.user()), Optional.of(postgres.password()), 3)) {
      assertThat(database.poolSize()).isEqualTo(3);
      ExecutorService threads = Executors.newFixedThreadPool(12);
      try {
        List<Future<?>> operations = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
          operations.add(
              threads.submit(
                  () -> {
                    try (Connection c = database.connect();
                        Statement s = c.createStatement();
                        ResultSet r = s.executeQuery("SELECT pg_backend_pid(), pg_sleep(0.2)")) {
                      r.next();
                      backends.add(r.getInt(1));
                    }
                    return null;
                  }));
        }
        for (Future<?> operation : operations) {
          operation.get(60, TimeUnit.SECONDS);
        }
      } finally {
        threads.shutdownNow();
      }
    }
    assertThat(backends).as("sessions the 12 operations ran in").hasSizeBetween(2, 3);
  }

  @Test
  void testDedicated_hasShortTcpKeepalives_thePoolTheServersDefault() throws Exception {
    Database database = postgres.open();
    try (Connection lockSession = database.dedicated();
        Connection pooled = database.connect()) {
      assertThat(show(lockSession, "tcp_keepalives_idle")).isEqualTo("5");
      assertThat(show(lockSession, "tcp_keepalives_interval")).isEqualTo("2");
      assertThat(show(lockSession, "tcp_keepalives_count")).isEqualTo("3");
      assertThat(show(pooled, "tcp_keepalives_idle")).isNotEqualTo("5");
    }
  }
}
