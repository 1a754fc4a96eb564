package org.warder.registry.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.warder.registry.storage.FileSystemStore;
import org.warder.registry.storage.RegistryLayout;
import org.warder.registry.storage.RegistryStore;
import org.warder.registry.storage.S3Store;

/**
 * Where the registry stores its blobs and metadata, and where reads of immutable files may be
 * redirected. Keys ({@link RegistryConfig}):
 *
 * <pre>
 * storage.backend          file (default: the data directory) or s3
 * storage.bucket           the bucket (s3)
 * storage.prefix           a key prefix inside the bucket (s3; default none)
 * storage.endpoint         the S3 API endpoint, e.g. http://127.0.0.1:9000 (default AWS's)
 * storage.region           the region to sign for (default us-east-1)
 * storage.path-style       true or false: bucket in the path, not the host name (default: true
 *                          with an endpoint, false without)
 * storage.public-base-url  a CDN or public bucket URL holding the same keys: immutable targets and
 *                          versioned metadata are redirected there (default none)
 * </pre>
 *
 * Credentials come from the standard AWS provider chain (AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY, profiles, instance roles), never from this configuration.
 */
public record StorageConfig(
    Backend backend,
    String bucket,
    String prefix,
    Optional<URI> endpoint,
    String region,
    boolean pathStyle,
    Optional<URI> publicBaseUrl) {

  public enum Backend {
    FILE,
    S3
  }

  public static final String DEFAULT_REGION = "us-east-1";
  private static final List<String> KEYS =
      List.of(
          "storage.backend",
          "storage.bucket",
          "storage.prefix",
          "storage.endpoint",
          "storage.region",
          "storage.path-style",
          "storage.public-base-url");

  /** The data directory, no redirect: the default. */
  public static StorageConfig file() {
    return new StorageConfig(
        Backend.FILE, "", "", Optional.empty(), DEFAULT_REGION, false, Optional.empty());
  }

  /** Reads the {@code storage.*} keys of {@code config}, refusing unknown or invalid ones. */
  public static StorageConfig from(RegistryConfig config) throws ConfigException {
    Set<String> unknown = new TreeSet<>(config.fileKeys("storage."));
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      throw new ConfigException(
          "unknown storage keys " + unknown + "; expected some of " + KEYS + " (check spelling)");
    }
    String backendText = config.get("storage.backend").orElse("file");
    Backend backend;
    try {
      backend = Backend.valueOf(backendText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "expected "
              + config.origin("storage.backend")
              + " to be file or s3, found \""
              + backendText
              + "\"");
    }
    Optional<URI> endpoint = uri(config, "storage.endpoint");
    String bucket = config.get("storage.bucket").orElse("");
    if (backend == Backend.S3 && bucket.isEmpty()) {
      throw new ConfigException(
          "the s3 backend needs a bucket: set "
              + "storage.bucket in the --config file or "
              + RegistryConfig.variable("storage.bucket"));
    }
    Optional<String> pathStyleText = config.get("storage.path-style");
    boolean pathStyle = endpoint.isPresent();
    if (pathStyleText.isPresent()) {
      String v = pathStyleText.get().toLowerCase(Locale.ROOT);
      if (!v.equals("true") && !v.equals("false")) {
        throw new ConfigException(
            "expected "
                + config.origin("storage.path-style")
                + " to be true or false, found \""
                + pathStyleText.get()
                + "\"");
      }
      pathStyle = v.equals("true");
    }
    return new StorageConfig(
        backend,
        bucket,
        config.get("storage.prefix").orElse(""),
        endpoint,
        config.get("storage.region").orElse(DEFAULT_REGION),
        pathStyle,
        uri(config, "storage.public-base-url"));
  }

  private static Optional<URI> uri(RegistryConfig config, String key) throws ConfigException {
    Optional<String> text = config.get(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(text.get());
      if (uri.getScheme() == null
          || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))
          || uri.getHost() == null) {
        throw new URISyntaxException(text.get(), "not an http(s) URL with a host");
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      throw new ConfigException(
          "expected "
              + config.origin(key)
              + " to be an http:// or https:// URL, found \""
              + text.get()
              + "\" ("
              + e.getReason()
              + ")");
    }
  }

  /**
   * This configuration with the bucket and prefix of {@code url} ({@code s3://BUCKET[/PREFIX]}).
   */
  public StorageConfig withS3Url(String url) throws ConfigException {
    if (!url.startsWith("s3://") || url.length() == "s3://".length()) {
      throw new ConfigException("expected s3://BUCKET[/PREFIX], found \"" + url + "\"");
    }
    String[] parts = url.substring("s3://".length()).split("/", 2);
    return new StorageConfig(
        Backend.S3,
        parts[0],
        parts.length > 1 ? parts[1] : "",
        endpoint,
        region,
        pathStyle,
        publicBaseUrl);
  }

  /** The store this configuration names; {@code layout} is the data directory. */
  public RegistryStore open(RegistryLayout layout) {
    return switch (backend) {
      case FILE -> new FileSystemStore(layout);
      case S3 -> new S3Store(S3Store.client(endpoint, region, pathStyle), bucket, prefix);
    };
  }
}
