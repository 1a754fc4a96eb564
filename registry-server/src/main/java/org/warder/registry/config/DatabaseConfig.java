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
 * that the password is never in a file other programs are pointed at.
 *
 * @param url the JDBC URL; empty: no database (all in the data directory)
 * @param user the user, else the URL's
 * @param passwordFile the file whose first line is the password
 * @param password the password from the environment
 */
public record DatabaseConfig(
    Optional<String> url,
    Optional<String> user,
    Optional<Path> passwordFile,
    Optional<String> password) {
  public static final String URL = "database.url";
  public static final String USER = "database.user";
  public static final String PASSWORD_FILE = "database.password-file";
  public static final String PASSWORD = "database.password";
  private static final List<String> FILE_KEYS = List.of(URL, USER, PASSWORD_FILE);

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
        config.fromEnvironment(PASSWORD));
  }
}
