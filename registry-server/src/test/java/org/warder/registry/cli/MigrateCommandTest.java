package org.warder.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.storage.S3Store;
import org.warder.registry.testing.S3ProxyServer;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.Digests;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.testing.CliRun;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code warder-registry migrate}: a published single-node registry into a bucket (S3Proxy), with
 * the endpoint from a {@code --config} file; the copy is complete and opens as the same repository.
 */
class MigrateCommandTest {
  @TempDir Path tmp;

  @Test
  void aDataDirectoryIsCopiedToTheBucketVerifiedAndOpensThere() throws Exception {
    S3ProxyServer s3 = new S3ProxyServer(Files.createDirectories(tmp.resolve("s3")));
    try (S3Client client = s3.client()) {
      String bucket = s3.createBucket("migrated");
      TestRegistry registry = TestRegistry.create(tmp.resolve("registry")).start();
      byte[] blob = "a plugin".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Ed25519SigningKey key = Ed25519SigningKey.generate();
      try (registry) {
        registry.delegate("plugins", List.of(key), 1, "plugins/*");
        assertThat(
                registry
                    .publisher(registry.token("plugins", "plugins"))
                    .publishOne("plugins", "plugins/x.pkg", blob, key)
                    .statusCode())
            .isEqualTo(200);
      }
      Path config =
          Files.writeString(
              tmp.resolve("registry.conf"),
              "storage.endpoint = " + s3.endpoint + "\nstorage.region = us-east-1\n");

      CliRun run = migrate(registry.data, "s3://" + bucket + "/prod", config);

      assertThat(run.exitCode()).as(run.err()).isZero();
      // 1.root, 1 and 2 of targets, 1.plugins, 1..3 of snapshot, timestamp
      assertThat(run.out())
          .contains("Copied 1 blob and 8 metadata files from " + registry.data)
          .contains("to s3://" + bucket + "/prod (0 blobs already there)")
          .contains("all 1 blobs (8 bytes) and metadata files verified.");
      S3Store store = new S3Store(client, bucket, "prod");
      assertThat(store.blobLength(Digests.sha256Hex(blob))).hasValue(blob.length);
      RegistryRepository copy =
          RegistryRepository.open(registry.layout, store, java.time.Clock.systemUTC());
      assertThat(copy.status()).isEqualTo(registry.repository.status());
      assertThat(store.metadataNames()).hasSize(8);

      CliRun again = migrate(registry.data, "s3://" + bucket + "/prod", config);
      assertThat(again.out()).contains("Copied 0 blobs").contains("(1 blob already there)");
    } finally {
      s3.stop();
    }
  }

  @Test
  void aDirectoryWithoutARegistryIsRefused() throws Exception {
    Path config =
        Files.writeString(tmp.resolve("c.conf"), "storage.endpoint = http://127.0.0.1:9\n");
    CliRun run = migrate(tmp, "s3://bucket", config);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("no repository metadata in " + tmp)
        .contains("is it the registry's data directory?");
  }

  private static CliRun migrate(Path from, String to, Path config) {
    return CliRun.of(
        RegistryMain::run,
        "migrate",
        "--from",
        from.toString(),
        "--to",
        to,
        "--config",
        config.toString());
  }
}
