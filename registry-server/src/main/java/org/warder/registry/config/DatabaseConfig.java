package org.warder.registry.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code database.*} keys of the registry's configuration: the PostgreSQL database several
 * nodes share. The password comes from {@code database.password-file} (owner-only) or from {@code
 * $WARDER_REGISTRY_DATABASE_PASSWORD}; a {@code database.password} line in the file is refused, so
 * that the password is never in a file other programs are pointed at. {@code database.pool-size} is
 * how many connections a node keeps at most ({@value #DEFAULT_POOL_SIZE} by default).
 *
 * @param url the JDBC URL; empty: no database (all in the data directory)
 * @param user the user, else the URL's
 * @param passwordFile the file whose first line is the password
 * @param password the password from the environment
 * @param poolSize the most connections a node's pool holds, at least {@value #MIN_POOL_SIZE}
 */
public record DatabaseConfig(
    Optional<String> url,
    Optional<String> user,
    Optional<Path> passwordFile,
    Optional<String> password,
    int poolSize) {
  public static final String URL = "database.url";
  public static final String USER = "database.user";
  public static final String PASSWORD_FILE = "database.password-file";
  public static final String PASSWORD = "database.password";
  public static final String POOL_SIZE = "database.pool-size";
  public static final int DEFAULT_POOL_SIZE = 8;

  /**
   * The smallest pool that cannot deadlock: the relay of submissions keeps one connection for
   * itself, and publishing what it takes needs another.
   */
  public static final int MIN_POOL_SIZE = 2;

  private static final List<String> FILE_KEYS = List.of(URL, USER, PASSWORD_FILE, POOL_SIZE);

  /** Reads the {@code database.*} keys of {@code config}, refusing unknown ones. */
  public static DatabaseConfig from(RegistryConfig config) throws ConfigException {
    Set<String> unknown = new TreeSet<>(config.fileKeys("database."));
    unknown.removeAll(FILE_KEYS);
    if (unknown.contains(PASSWORD)) {
      throw new ConfigException(
          "expected no database.password in the configuration file, found one; put the password"
              + " in a file only its owner can read and name it with "
              + PASSWORD_FILE
              + ", or set $"
              + RegistryConfig.variable(PASSWORD));
    }
    if (!unknown.isEmpty()) {
      throw new ConfigException(
          "unknown database keys "
              + unknown
              + "; expected some of "
              + FILE_KEYS
              + " (check spelling)");
    }
    return new DatabaseConfig(
        config.get(URL),
        config.get(USER),
        config.get(PASSWORD_FILE).map(Path::of),
        config.fromEnvironment(PASSWORD),
        config.get(POOL_SIZE).isPresent()
            ? poolSize(config.get(POOL_SIZE).get(), config.origin(POOL_SIZE))
            : DEFAULT_POOL_SIZE);
  }

  /** The pool size {@code text} from {@code origin}: a whole number of at least 2. */
  public static int poolSize(String text, String origin) throws ConfigException {
    int size;
    try {
      size = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new ConfigException(
          "expected a whole number of connections in " + origin + ", found \"" + text + "\"");
    }
    if (size < MIN_POOL_SIZE) {
      throw new ConfigException(
          "expected a database pool size of at least "
              + MIN_POOL_SIZE
              + " in "
              + origin
              + ", found "
              + size
              + ": the relay of submissions keeps one connection for itself and publishing what it"
              + " takes needs another, so a smaller pool would wait for itself; set "
              + MIN_POOL_SIZE
              + " or more (default "
              + DEFAULT_POOL_SIZE
              + ")");
    }
    return size;
  }
}
