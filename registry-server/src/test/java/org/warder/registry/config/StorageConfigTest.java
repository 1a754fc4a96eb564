package org.warder.registry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.storage.FileSystemStore;
import org.warder.registry.storage.RegistryLayout;

/** The storage configuration from a {@code --config} file and {@code WARDER_REGISTRY_*}. */
class StorageConfigTest {
  @TempDir Path tmp;

  private StorageConfig read(String file, Map<String, String> env) throws Exception {
    Path config = Files.writeString(tmp.resolve("registry.conf"), file);
    return StorageConfig.from(RegistryConfig.load(Optional.of(config), env));
  }

  @Test
  void nothingConfiguredIsTheDataDirectory() throws Exception {
    StorageConfig config = StorageConfig.from(RegistryConfig.load(Optional.empty(), Map.of()));

    assertThat(config).isEqualTo(StorageConfig.file());
    assertThat(config.open(new RegistryLayout(tmp))).isInstanceOf(FileSystemStore.class);
  }

  @Test
  void theFileConfiguresS3AndTheEnvironmentWins() throws Exception {
    StorageConfig config =
        read(
            """
            # the bucket of the registry
            storage.backend = s3
            storage.bucket = from-file
            storage.prefix = warder/
            storage.endpoint = http://127.0.0.1:9000
            storage.public-base-url = https://cdn.example.org/warder
            """,
            Map.of(
                "WARDER_REGISTRY_STORAGE_BUCKET",
                "from-env",
                "WARDER_REGISTRY_STORAGE_REGION",
                "eu-west-1"));

    assertThat(config.backend()).isEqualTo(StorageConfig.Backend.S3);
    assertThat(config.bucket()).isEqualTo("from-env");
    assertThat(config.prefix()).isEqualTo("warder/");
    assertThat(config.endpoint()).hasValue(URI.create("http://127.0.0.1:9000"));
    assertThat(config.region()).isEqualTo("eu-west-1");
    assertThat(config.pathStyle()).as("path-style by default with an endpoint").isTrue();
    assertThat(config.publicBaseUrl()).hasValue(URI.create("https://cdn.example.org/warder"));
  }

  @Test
  void anS3UrlNamesBucketAndPrefixAndKeepsTheEndpoint() throws Exception {
    StorageConfig config =
        read("storage.endpoint = http://127.0.0.1:9000\nstorage.path-style = false\n", Map.of())
            .withS3Url("s3://registry/site-a/prod");

    assertThat(config.backend()).isEqualTo(StorageConfig.Backend.S3);
    assertThat(config.bucket()).isEqualTo("registry");
    assertThat(config.prefix()).isEqualTo("site-a/prod");
    assertThat(config.pathStyle()).isFalse();
    assertThatThrownBy(() -> config.withS3Url("/var/db/registry"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("expected s3://BUCKET[/PREFIX], found \"/var/db/registry\"");
  }

  @Test
  void wrongValuesAreRefusedNamingTheirOriginAndWhatIsExpected() {
    assertThatThrownBy(() -> read("storage.backend = gcs\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "expected storage.backend in "
                + tmp.resolve("registry.conf")
                + " to be file or s3,"
                + " found \"gcs\"");
    assertThatThrownBy(() -> read("", Map.of("WARDER_REGISTRY_STORAGE_BACKEND", "s3")))
        .hasMessage(
            "the s3 backend needs a bucket: set storage.bucket in the --config file or"
                + " WARDER_REGISTRY_STORAGE_BUCKET");
    assertThatThrownBy(() -> read("storage.endpont = http://x\n", Map.of()))
        .hasMessageStartingWith("unknown storage keys [storage.endpont]; expected some of");
    assertThatThrownBy(
            () -> read("", Map.of("WARDER_REGISTRY_STORAGE_PUBLIC_BASE_URL", "cdn.example.org")))
        .hasMessageStartingWith(
            "expected WARDER_REGISTRY_STORAGE_PUBLIC_BASE_URL to be an http:// or https:// URL,"
                + " found \"cdn.example.org\"");
    assertThatThrownBy(() -> read("storage.path-style = yes\n", Map.of()))
        .hasMessageContaining("to be true or false, found \"yes\"");
  }
}
