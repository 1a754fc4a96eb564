package org.warder.registry.postgres;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.warder.registry.repo.SignerLease;

/**
 * The signer lease in the {@code signer_lease} table: a row naming its holder and when it expires,
 * in the database's time (the nodes' clocks do not matter). The holder renews it every {@code
 * renewEvery}, the others try to take it as often, and one of them takes it once it expired, so a
 * dead holder's lease moves within {@code duration + renewEvery}. Every {@link #check} renews it
 * too. Closing releases it at once (the next node need not wait for it to expire). Thread-safe.
 */
public final class PostgresSignerLease implements SignerLease, Closeable {
  /** The lease lasts this long after its last renewal. */
  public static final Duration DURATION = Duration.ofSeconds(8);

  /** How often the holder renews it and the others try to take it. */
  public static final Duration RENEW_EVERY = Duration.ofSeconds(2);

  private static final String NAME = "snapshot-timestamp";

  private final Database database;
  private final String node;
  private final Duration duration;
  private final ScheduledExecutorService renewal;
  private final AtomicBoolean held = new AtomicBoolean();
  private final List<Runnable> whenTaken = new CopyOnWriteArrayList<>();

  /**
   * Starts renewing (or trying to take) the lease as {@code node}, a name unique among the nodes;
   * renewal failures are reported on {@code err}.
   */
  public PostgresSignerLease(
      Database database, String node, Duration duration, Duration renewEvery, PrintWriter err) {
    if (renewEvery.multipliedBy(2).compareTo(duration) > 0) {
      throw new IllegalArgumentException(
          "expected the lease ("
              + duration
              + ") to last at least twice the renewal interval ("
              + renewEvery
              + ")");
    }
    this.database = database;
    this.node = node;
    this.duration = duration;
    this.renewal =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "registry-signer-lease");
              t.setDaemon(true);
              return t;
            });
    Future<?> unused =
        renewal.scheduleWithFixedDelay(
            () -> {
              try {
                check();
              } catch (IOException | RuntimeException e) {
                err.println("warder-registry: cannot renew the signer lease: " + e.getMessage());
                err.flush();
              }
            },
            0,
            renewEvery.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  @Override
  public Check check() throws IOException {
    try (Connection c = database.connect()) {
      try (PreparedStatement take =
          c.prepareStatement(
              "INSERT INTO signer_lease (name, holder, expires)"
                  + " VALUES (?, ?, now() + ? * interval '1 millisecond')"
                  + " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
                  + " expires = excluded.expires"
                  + " WHERE signer_lease.holder = excluded.holder"
                  + " OR signer_lease.expires < now()"
                  + " RETURNING holder")) {
        take.setString(1, NAME);
        take.setString(2, node);
        take.setLong(3, duration.toMillis());
        try (ResultSet taken = take.executeQuery()) {
          if (taken.next()) {
            if (!held.getAndSet(true)) {
              whenTaken.forEach(Runnable::run);
            }
            return new Check(true, node);
          }
        }
      }
      held.set(false);
      try (PreparedStatement holder =
          c.prepareStatement(
              "SELECT holder || ' until ' || expires FROM signer_lease WHERE name = ?")) {
        holder.setString(1, NAME);
        try (ResultSet row = holder.executeQuery()) {
          return new Check(false, row.next() ? row.getString(1) : "nobody");
        }
      }
    } catch (SQLException e) {
      throw database.failure("check the signer lease in", e);
    }
  }

  @Override
  public void whenTaken(Runnable action) {
    whenTaken.add(action);
  }

  /** Stops renewing the lease and releases it, when this node holds it. */
  @Override
  public void close() throws IOException {
    renewal.shutdownNow();
    try {
      if (!renewal.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new IOException("the signer lease's renewal did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the signer lease's renewal", e);
    }
    try (Connection c = database.connect();
        PreparedStatement s =
            c.prepareStatement("DELETE FROM signer_lease WHERE name = ? AND holder = ?")) {
      s.setString(1, NAME);
      s.setString(2, node);
      s.executeUpdate();
    } catch (SQLException e) {
      throw database.failure("release the signer lease in", e);
    }
  }
}
