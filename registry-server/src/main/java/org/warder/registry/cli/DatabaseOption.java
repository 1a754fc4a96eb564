package org.warder.registry.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.warder.registry.config.DatabaseConfig;
import org.warder.registry.postgres.Database;
import org.warder.registry.postgres.PostgresSignerLease;
import org.warder.registry.postgres.PostgresState;
import org.warder.registry.postgres.PostgresTokenStore;
import org.warder.registry.postgres.PostgresWriterLock;
import org.warder.registry.shared.SharedState;
import org.warder.registry.storage.DataLock;
import org.warder.registry.storage.FileTokenStore;
import org.warder.registry.storage.RegistryLayout;
import org.warder.registry.storage.TokenStore;
import org.warder.registry.storage.WriterLock;
import org.warder.signing.PrivateFiles;
import picocli.CommandLine.Option;

/**
 * The PostgreSQL database several nodes of one registry share ({@code --database-url}, else {@code
 * database.url} of the {@code --config} file or {@code $WARDER_REGISTRY_DATABASE_URL}); without
 * one, the registry keeps its tokens and lock in the data directory. The password never comes from
 * the command line (other users see it): from {@code --database-password-file}, {@code
 * database.password-file} or {@code $WARDER_REGISTRY_DATABASE_PASSWORD_FILE}, else {@code
 * $WARDER_REGISTRY_DATABASE_PASSWORD} ({@link DatabaseConfig}).
 */
final class DatabaseOption {
  // RegistryConfig.variable of DatabaseConfig's keys, spelt out for the annotations below
  static final String URL = "WARDER_REGISTRY_DATABASE_URL";
  static final String USER = "WARDER_REGISTRY_DATABASE_USER";
  static final String PASSWORD = "WARDER_REGISTRY_DATABASE_PASSWORD";
  static final String PASSWORD_FILE = "WARDER_REGISTRY_DATABASE_PASSWORD_FILE";

  @Option(
      names = "--database-url",
      paramLabel = "URL",
      description =
          "PostgreSQL database shared by the registry's nodes (tokens, writer lock, signer lease),"
              + " e.g. jdbc:postgresql://db:5432/registry (default: database.url of --config, $"
              + URL
              + "; none: all in the data directory).")
  Optional<String> url = Optional.empty();

  @Option(
      names = "--database-user",
      paramLabel = "USER",
      description =
          "The database user (default: database.user of --config, $" + USER + ", else the URL's).")
  Optional<String> user = Optional.empty();

  @Option(
      names = "--database-password-file",
      paramLabel = "FILE",
      description =
          "Read the database password from the first line of FILE, readable by its owner only"
              + " (default: database.password-file of --config, $"
              + PASSWORD_FILE
              + ", else $"
              + PASSWORD
              + ").")
  Optional<Path> passwordFile = Optional.empty();

  /**
   * The database, migrated, when one is configured: these options first, then {@code defaults} (the
   * configuration file and the environment).
   */
  Optional<Database> open(DatabaseConfig defaults) throws IOException {
    Optional<String> configured = url.or(defaults::url);
    if (configured.isEmpty()) {
      if (user.isPresent() || passwordFile.isPresent()) {
        throw new IOException(
            "--database-user and --database-password-file need a database: expected"
                + " --database-url, database.url in --config or $"
                + URL
                + ", found none");
      }
      return Optional.empty();
    }
    return Optional.of(
        Database.open(configured.get(), user.or(defaults::user), password(defaults)));
  }

  /**
   * What this node shares with the others: in the database when one is configured (this node then
   * competes for the signer lease until the state is closed), else in the data directory.
   */
  SharedState sharedState(
      RegistryLayout layout, Clock clock, PrintWriter err, DatabaseConfig defaults)
      throws IOException {
    Optional<Database> database = open(defaults);
    if (database.isPresent()) {
      return PostgresState.open(
          database.get(),
          clock,
          PostgresSignerLease.DURATION,
          PostgresSignerLease.RENEW_EVERY,
          err);
    }
    return SharedState.files(layout, clock);
  }

  /** The writer lock: the database's when one is configured, else the data directory's. */
  WriterLock writerLock(RegistryLayout layout, DatabaseConfig defaults) throws IOException {
    Optional<Database> database = open(defaults);
    if (database.isPresent()) {
      return new PostgresWriterLock(database.get());
    }
    return DataLock.writerLock(layout);
  }

  /** The tokens: in the database when one is configured, else in the data directory. */
  TokenStore tokens(RegistryLayout layout, Clock clock, DatabaseConfig defaults)
      throws IOException {
    Optional<Database> database = open(defaults);
    if (database.isPresent()) {
      return new PostgresTokenStore(database.get(), clock);
    }
    return new FileTokenStore(layout, clock);
  }

  private Optional<String> password(DatabaseConfig defaults) throws IOException {
    Optional<Path> file = passwordFile.or(defaults::passwordFile);
    if (file.isPresent()) {
      return Optional.of(
          new String(PrivateFiles.readFirstLine(file.get(), "database password file")));
    }
    return defaults.password();
  }
}
