package org.warder.registry.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.warder.registry.config.ConfigException;
import org.warder.registry.config.DatabaseConfig;
import org.warder.registry.config.RegistryConfig;
import org.warder.registry.config.StorageConfig;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option of the commands that read the registry's store, with the {@code
 * WARDER_REGISTRY_*} environment ({@link RegistryConfig}).
 */
final class ConfigOption {
  static final String ONLINE_PASSPHRASE = "online-passphrase";

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Configuration file (key = value lines: storage.backend, storage.bucket, database.url, ...;"
              + " WARDER_REGISTRY_* variables win over it). Default: the data directory's files.")
  Optional<Path> config = Optional.empty();

  RegistryConfig registryConfig() throws IOException, ConfigException {
    return RegistryConfig.load(config, System.getenv());
  }

  /**
   * The online keys' passphrase as a secret from {@code $WARDER_REGISTRY_ONLINE_PASSPHRASE} (never
   * from the file); empty: the data directory's {@code keys/online.passphrase}.
   */
  Optional<String> onlineSecret() throws IOException, ConfigException {
    return registryConfig().fromEnvironment(ONLINE_PASSPHRASE);
  }

  DatabaseConfig database() throws IOException, ConfigException {
    return DatabaseConfig.from(registryConfig());
  }

  StorageConfig storage() throws IOException, ConfigException {
    return StorageConfig.from(registryConfig());
  }
}
