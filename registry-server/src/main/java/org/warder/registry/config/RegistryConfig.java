package org.warder.registry.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The registry's configuration: a properties file ({@code --config FILE}, {@code key = value}
 * lines) and {@code WARDER_REGISTRY_*} environment variables, a variable winning over the file. The
 * variable of a key is its upper-case form with {@code .} and {@code -} as {@code _}: {@code
 * storage.public-base-url} is {@code WARDER_REGISTRY_STORAGE_PUBLIC_BASE_URL}. Immutable.
 */
public final class RegistryConfig {
  public static final String ENV_PREFIX = "WARDER_REGISTRY_";

  /** The sections a configuration file has; each refuses its own unknown keys. */
  private static final List<String> SECTIONS = List.of("storage.", "database.");

  private final Map<String, String> file;
  private final Optional<Path> source;
  private final Map<String, String> env;

  private RegistryConfig(Map<String, String> file, Optional<Path> source, Map<String, String> env) {
    this.file = Map.copyOf(file);
    this.source = source;
    this.env = Map.copyOf(env);
  }

  /** The file {@code config} (when given) and the environment {@code env}. */
  public static RegistryConfig load(Optional<Path> config, Map<String, String> env)
      throws IOException, ConfigException {
    Properties properties = new Properties();
    if (config.isPresent()) {
      try (Reader in = Files.newBufferedReader(config.get(), StandardCharsets.UTF_8)) {
        properties.load(in);
      }
    }
    Map<String, String> values = new java.util.HashMap<>();
    properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k).strip()));
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeIf(k -> SECTIONS.stream().anyMatch(k::startsWith));
    if (!unknown.isEmpty()) {
      throw new ConfigException(
          "unknown keys "
              + unknown
              + " in "
              + config.orElseThrow()
              + "; expected keys of the sections "
              + SECTIONS
              + " (storage.backend, database.url, ...; check spelling)");
    }
    return new RegistryConfig(values, config, env);
  }

  /** The environment variable of {@code key}. */
  public static String variable(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The value of {@code key}: its environment variable, else the file's line; blank is unset. */
  public Optional<String> get(String key) {
    String fromEnv = env.get(variable(key));
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(fromEnv.strip());
    }
    return Optional.ofNullable(file.get(key)).filter(v -> !v.isBlank());
  }

  /**
   * The value of {@code key} from its environment variable only (a secret that must not be read
   * from the file).
   */
  public Optional<String> fromEnvironment(String key) {
    return Optional.ofNullable(env.get(variable(key))).filter(v -> !v.isBlank()).map(String::strip);
  }

  /** The keys of the file that start with {@code prefix}. */
  public Set<String> fileKeys(String prefix) {
    Set<String> keys = new TreeSet<>();
    file.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(keys::add);
    return keys;
  }

  /** Where {@code key}'s value comes from, for messages. */
  public String origin(String key) {
    String fromEnv = env.get(variable(key));
    if (fromEnv != null && !fromEnv.isBlank()) {
      return variable(key);
    }
    return source.map(p -> key + " in " + p).orElse(key);
  }
}
