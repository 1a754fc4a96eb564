package org.warder.client.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.warder.client.fetch.HttpSettings;

/**
 * The defaults of an invocation, decided in one order: the command line (the option the caller
 * passes), then the environment ({@code WARDER_ROOT}, {@code WARDER_REPO}, {@code WARDER_KEY};
 * {@code WARDER_TOKEN} holds a token rather than a file), then the configuration file, then the
 * built-in default.
 */
public record ClientDefaults(Map<String, String> env, ClientConfig file) {
  /** The root when neither option, environment nor file sets one. */
  public static final Path BUILT_IN_ROOT = Path.of("/usr/local/warder");

  /** The signing key name when neither option, environment nor file sets one. */
  public static final String BUILT_IN_KEY = "default";

  /** warder's root directory. */
  public Path root(Optional<Path> option) {
    return option
        .or(() -> variable("WARDER_ROOT").map(Path::of))
        .or(file::root)
        .orElse(BUILT_IN_ROOT);
  }

  /** The repository to use; empty when nothing names one (the caller then decides). */
  public Optional<String> repository(Optional<String> option) {
    return option.or(() -> variable("WARDER_REPO")).or(file::repository);
  }

  /** The signing key name. */
  public String key(Optional<String> option) {
    return option.or(() -> variable("WARDER_KEY")).or(file::key).orElse(BUILT_IN_KEY);
  }

  /**
   * The network settings: the defaults, retrying failed requests for the option's seconds, else the
   * file's {@code retry_deadline}, else {@link HttpSettings#DEFAULT_RETRY_DEADLINE}.
   */
  public HttpSettings http(Optional<Duration> retryDeadline) {
    return HttpSettings.defaults()
        .withRetryDeadline(
            retryDeadline.or(file::retryDeadline).orElse(HttpSettings.DEFAULT_RETRY_DEADLINE));
  }

  /**
   * The token file to read: the option's, else none when {@code $WARDER_TOKEN} holds the token,
   * else the file's {@code token_file}.
   */
  public Optional<Path> tokenFile(Optional<Path> option) {
    if (option.isPresent()) {
      return option;
    }
    return variable("WARDER_TOKEN").isPresent() ? Optional.empty() : file.tokenFile();
  }

  private Optional<String> variable(String name) {
    return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
  }
}
