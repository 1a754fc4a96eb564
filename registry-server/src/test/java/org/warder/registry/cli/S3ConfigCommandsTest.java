package org.warder.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.storage.RegistryLayout;
import org.warder.registry.storage.S3Store;
import org.warder.registry.testing.S3ProxyServer;
import org.warder.signing.Digests;
import org.warder.signing.PrivateFiles;
import org.warder.signing.testing.CliRun;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code init} and {@code gc} with {@code --config} naming the s3 backend (S3Proxy in this JVM):
 * the metadata goes to the bucket, the keys stay in the data directory, gc reads the bucket.
 */
class S3ConfigCommandsTest {
  @TempDir Path tmp;

  @Test
  void initAndGcUseTheBucketTheConfigFileNames() throws Exception {
    S3ProxyServer s3 = new S3ProxyServer(Files.createDirectories(tmp.resolve("s3")));
    try (S3Client client = s3.client()) {
      String bucket = s3.createBucket("configured");
      Path config =
          Files.writeString(
              tmp.resolve("registry.conf"),
              "storage.backend = s3\nstorage.bucket = "
                  + bucket
                  + "\nstorage.prefix = reg\nstorage.endpoint = "
                  + s3.endpoint
                  + "\n");
      Path data = tmp.resolve("data");
      Path passphrase = tmp.resolve("passphrase");
      PrivateFiles.writeString(passphrase, "offline passphrase\n");

      CliRun init =
          CliRun.of(
              RegistryMain::run,
              "init",
              "--data",
              data.toString(),
              "--config",
              config.toString(),
              "--passphrase-file",
              passphrase.toString());

      assertThat(init.exitCode()).as(init.err()).isZero();
      S3Store store = new S3Store(client, bucket, "reg");
      RegistryLayout layout = new RegistryLayout(data);
      byte[] root = store.metadata("1.root.json").orElseThrow();
      assertThat(init.out())
          .contains("root metadata:  " + layout.keys().resolve("1.root.json"))
          .contains("sha256 of 1.root.json: " + Digests.sha256Hex(root));
      assertThat(layout.metadata()).doesNotExist();
      assertThat(layout.key("targets")).exists();
      assertThat(store.metadataNames()).noneMatch(name -> name.endsWith(".pem"));
      assertThat(
              RegistryRepository.open(layout, store, Clock.systemUTC()).status().timestampVersion())
          .isEqualTo(1);

      CliRun gc =
          CliRun.of(
              RegistryMain::run, "gc", "--data", data.toString(), "--config", config.toString());
      assertThat(gc.exitCode()).as(gc.err()).isZero();
      assertThat(gc.out()).contains("Would delete 0 orphan blobs (0 bytes)");
    } finally {
      s3.stop();
    }
  }
}
