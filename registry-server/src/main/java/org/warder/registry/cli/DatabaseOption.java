package org.warder.registry.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.warder.registry.config.ConfigException;
import org.warder.registry.config.DatabaseConfig;
import org.warder.registry.postgres.Database;
import org.warder.registry.postgres.PostgresSignerLease;
import org.warder.registry.postgres.PostgresState;
import org.warder.registry.postgres.PostgresTokenStore;
import org.warder.registry.postgres.PostgresWriterLock;
import org.warder.registry.postgres.SharedUploadSessions;
import org.warder.registry.shared.SharedState;
import org.warder.registry.storage.DataLock;
import org.warder.registry.storage.FileTokenStore;
import org.warder.registry.storage.FileUploadSessions;
import org.warder.registry.storage.RegistryLayout;
import org.warder.registry.storage.TokenStore;
import org.warder.registry.storage.UploadSessions;
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
  static final String POOL_SIZE = "WARDER_REGISTRY_DATABASE_POOL_SIZE";

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

  @Option(
      names = "--database-pool-size",
      paramLabel = "N",
      description =
          "Keep at most N connections to the database, at least 2 (default: database.pool-size of"
              + " --config, $"
              + POOL_SIZE
              + ", else 8). Each holder of the writer lock has one more of its own.")
  Optional<String> poolSize = Optional.empty();

  /**
   * The database, migrated, when one is configured: these options first, then {@code defaults} (the
   * configuration file and the environment). The caller closes it.
   */
  Optional<Database> open(DatabaseConfig defaults) throws IOException, ConfigException {
    Optional<String> configured = url.or(defaults::url);
    if (configured.isEmpty()) {
      if (user.isPresent() || passwordFile.isPresent() || poolSize.isPresent()) {
        throw new IOException(
            "--database-user, --database-password-file and --database-pool-size need a database:"
                + " expected"
                + " --database-url, database.url in --config or $"
                + URL
                + ", found none");
      }
      return Optional.empty();
    }
    int size =
        poolSize.isPresent()
            ? DatabaseConfig.poolSize(poolSize.get(), "--database-pool-size")
            : defaults.poolSize();
    return Optional.of(
        Database.open(configured.get(), user.or(defaults::user), password(defaults), size));
  }

  /**
   * What this node shares with the others: in the database when one is configured (this node then
   * competes for the signer lease until the state is closed; closing it closes the database), else
   * in the data directory.
   */
  SharedState sharedState(
      RegistryLayout layout, Clock clock, PrintWriter err, DatabaseConfig defaults)
      throws IOException, ConfigException {
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

  /**
   * What a one-off command (token, gc) uses of the state the nodes share, without competing for the
   * signer lease; closing it closes the database.
   */
  Offline offline(DatabaseConfig defaults) throws IOException, ConfigException {
    return new Offline(open(defaults));
  }

  /**
   * The database of a one-off command, when one is configured, else the data directory.
   *
   * @param database the database, closed by {@link #close}
   */
  record Offline(Optional<Database> database) implements AutoCloseable {
    /** The writer lock: the database's when one is configured, else the data directory's. */
    WriterLock writerLock(RegistryLayout layout) {
      return database
          .<WriterLock>map(PostgresWriterLock::new)
          .orElseGet(() -> DataLock.writerLock(layout));
    }

    /**
     * The upload sessions: shared in the database and the store when a database is configured, else
     * in the data directory.
     */
    UploadSessions.Factory uploads() {
      return database.map(SharedUploadSessions::factory).orElse(FileUploadSessions.FACTORY);
    }

    /** The tokens: in the database when one is configured, else in the data directory. */
    TokenStore tokens(RegistryLayout layout, Clock clock) {
      return database
          .<TokenStore>map(d -> new PostgresTokenStore(d, clock))
          .orElseGet(() -> new FileTokenStore(layout, clock));
    }

    @Override
    public void close() {
      database.ifPresent(Database::close);
    }
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
