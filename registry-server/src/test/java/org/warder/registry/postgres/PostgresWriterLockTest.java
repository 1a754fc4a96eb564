package org.warder.registry.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.cli.RegistryMain;
import org.warder.registry.storage.WriterLock;
import org.warder.registry.testing.PostgresDatabase;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.testing.CliRun;

/** The writer lock the nodes share: a PostgreSQL advisory lock, against a real server. */
class PostgresWriterLockTest {
  @RegisterExtension final PostgresDatabase postgres = new PostgresDatabase();

  @TempDir Path tmp;

  /** The lock as another node has it: a database and connections of its own. */
  private PostgresWriterLock node() throws Exception {
    return new PostgresWriterLock(postgres.open());
  }

  /** Takes and releases {@code lock} in another thread (a held lock is released by its thread). */
  private static CompletableFuture<Void> acquireInBackground(PostgresWriterLock lock) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            lock.acquire().close();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void testAcquire_waitsWhileAnotherNodeHoldsIt() throws Exception {
    PostgresWriterLock first = node();
    PostgresWriterLock second = node();
    CompletableFuture<Void> waiting;
    WriterLock.Held held = first.acquire();
    WriterLock.Held again = first.acquire(); // reentrant within a thread
    try (held;
        again) {
      waiting = acquireInBackground(second);
      Thread.sleep(1000);
      assertThat(waiting).isNotDone();
    }
    waiting.get(10, TimeUnit.SECONDS);
  }

  @Test
  void testAcquire_afterTheHoldersSessionEnded() throws Exception {
    PostgresWriterLock first = node();
    WriterLock.Held unused = first.acquire(); // as a node that dies holding it: never closed
    CompletableFuture<Void> waiting = acquireInBackground(node());
    Thread.sleep(500);
    assertThat(waiting).isNotDone();
    try (Connection c = postgres.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_locks"
              + " WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()");
    }

    waiting.get(10, TimeUnit.SECONDS);
  }

  @Test
  void testHeldLock_itsSessionHasShortTcpKeepalives() throws Exception {
    PostgresWriterLock lock = node();
    try (WriterLock.Held held = lock.acquire();
        WriterLock.Held inner = lock.acquire()) {
      Connection session = ((PostgresWriterLock.Lock) held).session().orElseThrow();
      assertThat(((PostgresWriterLock.Lock) inner).session()).isEmpty();
      try (Statement s = session.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT current_setting('tcp_keepalives_idle'),"
                      + " current_setting('tcp_keepalives_interval'),"
                      + " current_setting('tcp_keepalives_count'),"
                      + " (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                      + " AND pid = pg_backend_pid())")) {
        r.next();
        assertThat(List.of(r.getString(1), r.getString(2), r.getString(3)))
            .as("idle, interval, count: a vanished host is noticed within 5 + 2 * 3 s")
            .containsExactly("5", "2", "3");
        assertThat(r.getLong(4)).as("the advisory lock is this session's").isEqualTo(1);
      }
    }
  }

  @Test
  void testGcCommand_withDatabaseUrl_deletesUnderTheSharedLock() throws Exception {
    TestRegistry registry = TestRegistry.create(tmp);
    List<String> args =
        new ArrayList<>(List.of("gc", "--delete", "--data", registry.data.toString()));
    args.addAll(postgres.options(tmp.resolve("db.password")));
    CompletableFuture<CliRun> gc;
    WriterLock.Held held = node().acquire();
    try (held) {
      gc =
          CompletableFuture.supplyAsync(
              () -> CliRun.of(RegistryMain::run, args.toArray(String[]::new)));
      Thread.sleep(2000);
      assertThat(gc).as("gc waits for the node holding the lock").isNotDone();
    }
    CliRun done = gc.get(30, TimeUnit.SECONDS);
    assertThat(done.exitCode()).as(done.err()).isZero();
  }
}
