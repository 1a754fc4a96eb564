package org.warder.registry.postgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The PostgreSQL database the nodes of a registry share, by its JDBC URL ({@code
 * jdbc:postgresql://host:port/name}), user and password. {@link #open} brings its schema up to date
 * (Flyway, {@code db/migration}); each operation then takes a connection of its own.
 */
public final class Database {
  private final String url;
  private final Properties properties;

  private Database(String url, Properties properties) {
    this.url = url;
    this.properties = properties;
  }

  /**
   * Connects to {@code url} and migrates its schema to this version; {@code user} and {@code
   * password} may also come with the URL.
   */
  public static Database open(String url, Optional<String> user, Optional<String> password)
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
    Database database = new Database(url, properties);
    database.migrate();
    return database;
  }

  private void migrate() throws IOException {
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

  /** A new connection (auto-commit); the caller closes it. */
  Connection connect() throws IOException {
    try {
      return DriverManager.getConnection(url, properties);
    } catch (SQLException e) {
      throw failure("connect to", e);
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

  @Override
  public String toString() {
    return url; // never the password
  }
}
