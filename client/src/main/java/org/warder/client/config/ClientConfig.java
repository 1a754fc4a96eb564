package org.warder.client.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What the configuration file sets: the default repository, signing key name, token file, warder
 * root and retry deadline of network requests; {@code source} names the file for messages ("none"
 * without one).
 */
public record ClientConfig(
    Optional<String> repository,
    Optional<String> key,
    Optional<Path> tokenFile,
    Optional<Path> root,
    Optional<Duration> retryDeadline,
    String source) {

  /** No configuration file: every value from the environment or the built-in defaults. */
  public static ClientConfig none() {
    return new ClientConfig(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "none");
  }
}
