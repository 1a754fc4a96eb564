package org.warder.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.storage.FileSystemStore;
import org.warder.registry.storage.S3Store;
import org.warder.registry.storage.StoreMigration;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.S3ProxyServer;
import org.warder.registry.testing.ServerProcess;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.testing.TestFiles;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code warder-registry serve} as a process configured only by {@code WARDER_REGISTRY_STORAGE_*},
 * the AWS credential variables and the online keys' passphrase as a secret variable: it serves the
 * metadata in the bucket (S3Proxy in the test JVM) and redirects versioned metadata to the public
 * base URL.
 */
class S3ServeProcessTest {
  @TempDir Path tmp;

  @Test
  void serveReadsTheBucketTheEnvironmentNames() throws Exception {
    S3ProxyServer s3 = new S3ProxyServer(Files.createDirectories(tmp.resolve("s3")));
    try (S3Client client = s3.client()) {
      String bucket = s3.createBucket("served");
      TestRegistry registry = TestRegistry.create(tmp.resolve("registry"));
      S3Store store = new S3Store(client, bucket, "");
      new StoreMigration(new FileSystemStore(registry.layout), store, tmp.resolve("staging")).run();
      // what serve reads must be the bucket's: the local copy of the metadata goes; the online
      // keys' passphrase comes as a secret in the environment, not from the data directory
      TestFiles.deleteTree(registry.layout.metadata());
      String secret = Files.readString(registry.layout.onlinePassphrase()).strip();
      Files.delete(registry.layout.onlinePassphrase());
      Map<String, String> env =
          Map.of(
              "WARDER_REGISTRY_STORAGE_BACKEND",
              "s3",
              "WARDER_REGISTRY_STORAGE_BUCKET",
              bucket,
              "WARDER_REGISTRY_STORAGE_ENDPOINT",
              s3.endpoint.toString(),
              "WARDER_REGISTRY_STORAGE_PUBLIC_BASE_URL",
              "https://cdn.example.org/",
              "AWS_ACCESS_KEY_ID",
              S3ProxyServer.ACCESS_KEY,
              "AWS_SECRET_ACCESS_KEY",
              S3ProxyServer.SECRET_KEY,
              "WARDER_REGISTRY_ONLINE_PASSPHRASE",
              secret);

      try (ServerProcess server =
          ServerProcess.startWithEnvironment(registry.data, env, tmp.resolve("logs"))) {
        Http http = new Http(server.url());
        HttpResponse<byte[]> timestamp = http.send("GET", "/metadata/timestamp.json", null);
        assertThat(timestamp.statusCode()).as(server.stderr()).isEqualTo(200);
        assertThat(timestamp.body()).isEqualTo(store.metadata("timestamp.json").orElseThrow());
        HttpResponse<byte[]> root = http.send("GET", "/metadata/1.root.json", null);
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location"))
            .isEqualTo(Optional.of("https://cdn.example.org/repository/metadata/1.root.json"));
      }
      assertThat(registry.layout.metadata()).doesNotExist();
    } finally {
      s3.stop();
    }
  }
}
