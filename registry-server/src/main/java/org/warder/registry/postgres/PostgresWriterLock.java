package org.warder.registry.postgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.warder.registry.storage.WriterLock;

/**
 * The writer lock shared by every node: a session-level PostgreSQL advisory lock, held on a
 * connection of its own, outside the pool ({@link Database#dedicated}), for as long as the change
 * lasts. A node that dies loses its connection and with it the lock, so the others go on; when its
 * host vanishes without closing the socket, the server's short TCP keepalives on that session end
 * it within about 11 s. Within this process a local lock comes first, which makes it reentrant
 * within a thread and keeps threads from each taking a connection to wait on. Thread-safe.
 */
public final class PostgresWriterLock implements WriterLock {
  /** The advisory lock's key: "warder" and 1, so that other users of the database keep theirs. */
  static final long KEY = 0x7761_7264_6572_0001L;

  private final Database database;
  private final ReentrantLock local = new ReentrantLock();

  public PostgresWriterLock(Database database) {
    this.database = database;
  }

  @Override
  public Held acquire() throws IOException {
    local.lock();
    if (local.getHoldCount() > 1) {
      return new Lock(Optional.empty()); // the outer hold has the advisory lock
    }
    Connection connection = null;
    try {
      connection = database.dedicated();
      try (PreparedStatement s = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
        s.setLong(1, KEY);
        s.execute();
      }
      return new Lock(Optional.of(connection));
    } catch (SQLException e) {
      if (connection != null) {
        Database.close(connection);
      }
      local.unlock();
      throw database.failure("take the writer lock in", e);
    } catch (IOException | RuntimeException | Error e) {
      if (connection != null) {
        Database.close(connection);
      }
      local.unlock();
      throw e;
    }
  }

  /** A hold; the outermost one of a thread has the session holding the advisory lock. */
  final class Lock implements Held {
    private final Optional<Connection> connection;

    Lock(Optional<Connection> connection) {
      this.connection = connection;
    }

    /** The session holding the advisory lock; empty for a hold within an outer one. */
    Optional<Connection> session() {
      return connection;
    }

    @Override
    public void close() throws IOException {
      try {
        if (connection.isPresent()) {
          // closing the session releases the lock; unlocking first does not wait for the close
          try (PreparedStatement s =
              connection.get().prepareStatement("SELECT pg_advisory_unlock(?)")) {
            s.setLong(1, KEY);
            s.execute();
          } catch (SQLException e) {
            throw database.failure("release the writer lock in", e);
          } finally {
            Database.close(connection.get());
          }
        }
      } finally {
        local.unlock();
      }
    }
  }
}
