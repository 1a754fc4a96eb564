package org.warder.registry.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.io.Closeable;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The PostgreSQL database the nodes of a registry share, by its JDBC URL ({@code
 * jdbc:postgresql://host:port/name}), user and password. {@link #open} brings its schema up to date
 * (Flyway, {@code db/migration}) and opens a pool of at most {@code poolSize} connections
 * (HikariCP) that operations borrow ({@link #connect}); a session that holds a lock for a while
 * takes a connection of its own instead ({@link #dedicated}). Closing it closes the pool.
 * Thread-safe.
 */
public final class Database implements Closeable {
  /**
   * The server-side TCP keepalive settings of a {@link #dedicated} session: idle seconds, seconds
   * between probes, probes. A peer that vanished without closing its socket is noticed after about
   * 5 + 2 * 3 = 11 s, and its session, with the locks it held, ends.
   */
  static final int KEEPALIVE_IDLE = 5;

  static final int KEEPALIVE_INTERVAL = 2;
  static final int KEEPALIVE_COUNT = 3;

  private final String url;
  private final Properties properties;
  private final HikariDataSource pool;

  private Database(String url, Properties properties, HikariDataSource pool) {
    this.url = url;
    this.properties = properties;
    this.pool = pool;
  }

  /**
   * Connects to {@code url}, migrates its schema to this version and opens a pool of at most {@code
   * poolSize} connections ({@link org.warder.registry.config.DatabaseConfig#poolSize} checked it);
   * {@code user} and {@code password} may also come with the URL.
   */
  public static Database open(
      String url, Optional<String> user, Optional<String> password, int poolSize)
      throws IOException {
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IOException(
          "expected a database URL such as jdbc:postgresql://HOST:PORT/DATABASE, found " + url);
    }
    Properties properties = new Properties();
    user.ifPresent(u -> properties.setProperty("user", u));
    password.ifPresent(p -> properties.setProperty("password", p));
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("ApplicationName", "warder-registry");
    migrate(url, properties);
    HikariConfig config = new HikariConfig();
    config.setPoolName("warder-registry");
    config.setJdbcUrl(url);
    config.setDataSourceProperties(properties);
    config.setMaximumPoolSize(poolSize);
    // one connection kept ready, the others opened on demand and closed when idle: a one-off
    // command (token, gc) needs one or two, a busy node grows to poolSize
    config.setMinimumIdle(1);
    try {
      return new Database(url, properties, new HikariDataSource(config));
    } catch (HikariPool.PoolInitializationException e) {
      throw new IOException(
          "cannot open a pool of connections to the database "
              + url
              + ": "
              + e.getMessage()
              + "; check that PostgreSQL runs and is reachable",
          e);
    }
  }

  private static void migrate(String url, Properties properties) throws IOException {
    try {
      Flyway.configure(Database.class.getClassLoader())
          .dataSource(url, properties.getProperty("user"), properties.getProperty("password"))
          .locations("classpath:db/migration")
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new IOException(
          "cannot bring the database schema of "
              + url
              + " up to date: "
              + e.getMessage()
              + "; check the URL, user and password and that the user may create tables",
          e);
    }
  }

  /**
   * A connection of the pool (auto-commit); the caller closes it, which returns it to the pool
   * (rolled back, auto-commit again). Waits for one while all are in use.
   */
  Connection connect() throws IOException {
    try {
      return pool.getConnection();
    } catch (SQLException e) {
      throw failure("connect to", e);
    }
  }

  /**
   * A new connection outside the pool, for a session that holds a lock: its own, so that closing it
   * ends the session and the lock with it, and with the server's TCP keepalives short ({@link
   * #KEEPALIVE_IDLE}), so that the server ends it soon when this host vanishes without closing the
   * socket. The caller closes it.
   */
  Connection dedicated() throws IOException {
    Connection connection;
    try {
      connection = DriverManager.getConnection(url, properties);
    } catch (SQLException e) {
      throw failure("connect to", e);
    }
    try (Statement s = connection.createStatement()) {
      s.execute("SET tcp_keepalives_idle = " + KEEPALIVE_IDLE);
      s.execute("SET tcp_keepalives_interval = " + KEEPALIVE_INTERVAL);
      s.execute("SET tcp_keepalives_count = " + KEEPALIVE_COUNT);
      return connection;
    } catch (SQLException e) {
      close(connection);
      throw failure("set the TCP keepalives of a session in", e);
    }
  }

  /**
   * Closes {@code connection}, which may be broken already: either way the server ends its session,
   * with its transaction and locks.
   */
  static void close(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // broken already: the server ended the session
    }
  }

  /** {@code e} as an I/O failure to {@code what} the database, naming it and what to check. */
  IOException failure(String what, SQLException e) {
    return new IOException(
        "cannot "
            + what
            + " the database "
            + url
            + ": "
            + e.getMessage()
            + " (SQL state "
            + e.getSQLState()
            + "); check that PostgreSQL runs and is reachable",
        e);
  }

  /** The most connections the pool holds. */
  public int poolSize() {
    return pool.getMaximumPoolSize();
  }

  /** Closes the pool and its connections, those still borrowed too. */
  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return url; // never the password
  }
}
