package org.warder.registry.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.warder.registry.config.DatabaseConfig;
import org.warder.registry.postgres.Database;
import org.warder.signing.PrivateFiles;

/**
 * A new, empty database on the JVM's {@link PostgresServer} for each test: register it with
 * {@code @RegisterExtension final PostgresDatabase postgres = new PostgresDatabase();}. The test is
 * skipped (fails on CI) when PostgreSQL is not installed. The {@link Database}s it opened are
 * closed after the test (again, when the code closed them already).
 */
public final class PostgresDatabase implements BeforeEachCallback, AfterEachCallback {
  private Optional<PostgresServer> server = Optional.empty();
  private String url = "";
  private final List<Database> opened = new ArrayList<>();

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    PostgresServer shared = PostgresServer.shared();
    server = Optional.of(shared);
    url = shared.newDatabase();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    synchronized (opened) {
      opened.forEach(Database::close);
      opened.clear();
    }
  }

  /** The JDBC URL of this test's database. */
  public String url() {
    return url;
  }

  public String user() {
    return server.orElseThrow().user();
  }

  public String password() {
    return server.orElseThrow().password();
  }

  /** The database as a node opens it (schema migrated, a pool of the default size). */
  public Database open() throws IOException {
    Database database =
        Database.open(
            url, Optional.of(user()), Optional.of(password()), DatabaseConfig.DEFAULT_POOL_SIZE);
    synchronized (opened) {
      opened.add(database);
    }
    return database;
  }

  /**
   * The options that point a command at this database: {@code --database-url}, {@code
   * --database-user} and {@code --database-password-file} with the password written to {@code
   * passwordFile} (owner-only).
   */
  public List<String> options(Path passwordFile) throws IOException {
    PrivateFiles.writeString(passwordFile, password() + "\n");
    return List.of(
        "--database-url",
        url,
        "--database-user",
        user(),
        "--database-password-file",
        passwordFile.toString());
  }

  /** A plain connection, to look at or change the tables behind the code's back. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user(), password());
  }

  /** How many rows {@code table} has now. */
  public long rows(String table) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
      r.next();
      return r.getLong(1);
    }
  }
}
