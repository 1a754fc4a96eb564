package org.warder.registry.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.testing.S3ProxyServer;
import org.warder.signing.Digests;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The {@link RegistryStoreContract} against a real S3 API server (S3Proxy in this JVM), through the
 * client production makes; each test in a bucket of its own, under a key prefix.
 */
class S3StoreTest extends RegistryStoreContract {
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  @TempDir static Path dir;
  private static S3ProxyServer server;
  private static S3Client client;

  @BeforeAll
  static void start() throws Exception {
    server = new S3ProxyServer(dir);
    client = server.client();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.stop();
  }

  @Override
  RegistryStore store() {
    String bucket = server.createBucket("registry-" + BUCKETS.incrementAndGet());
    return new S3Store(client, bucket, "/some/prefix/");
  }

  @Test
  void aBlobWhoseBytesDoNotHashToItsNameIsAbortedAndNothingBecomesVisible() throws Exception {
    RegistryStore store = store();
    byte[] bytes = "not what the name says".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String other = Digests.sha256Hex(new byte[] {42});
    Path verified = Files.write(tmp.resolve("wrong"), bytes);

    assertThatThrownBy(() -> store.putBlob(verified, other, bytes.length))
        .hasMessageContaining("with sha256 " + Digests.sha256Hex(bytes))
        .hasMessageContaining("was aborted");

    assertThat(store.blobLength(other)).isEmpty();
    assertThat(client.listMultipartUploads(r -> r.bucket(bucketOf(store))).uploads()).isEmpty();
  }

  @Test
  void keysAreTheDataDirectoryPathsUnderThePrefix() throws Exception {
    RegistryStore store = store();
    byte[] bytes = {1, 2, 3};
    String sha256 = Digests.sha256Hex(bytes);
    store.putBlob(Files.write(tmp.resolve("b"), bytes), sha256, 3);
    store.putTimestamp(new byte[] {'{', '}'}, Optional.empty());

    assertThat(client.listObjectsV2(r -> r.bucket(bucketOf(store))).contents())
        .extracting(o -> o.key())
        .filteredOn(key -> !key.endsWith("/")) // S3Proxy's file system backend lists directories
        .containsExactlyInAnyOrder(
            "some/prefix/blobs/sha256/" + sha256.substring(0, 2) + "/" + sha256,
            "some/prefix/repository/metadata/timestamp.json");
    assertThat(store.describe()).isEqualTo("s3://" + bucketOf(store) + "/some/prefix");
  }

  private static String bucketOf(RegistryStore store) {
    return store.describe().substring("s3://".length()).split("/", 2)[0];
  }

  /**
   * Two writers of one blob at once both pass the existence check. A server that enforces the
   * completion's {@code If-None-Match: *} refuses the second (reported as not new); S3Proxy's file
   * system backend does not, and the second completion stores the same bytes again. Either way the
   * blob is whole and no multipart upload stays open.
   */
  @Test
  void twoConcurrentWritersOfOneBlobLeaveItWholeAndNoUploadOpen() throws Exception {
    RegistryStore store = store();
    byte[] bytes = random(S3Store.PART_SIZE * 2 + 1, 11);
    String sha256 = Digests.sha256Hex(bytes);
    Path first = Files.write(tmp.resolve("first"), bytes);
    Path second = Files.write(tmp.resolve("second"), bytes);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Boolean> a = pool.submit(() -> store.putBlob(first, sha256, bytes.length));
      Future<Boolean> b = pool.submit(() -> store.putBlob(second, sha256, bytes.length));
      assertThat(List.of(a.get(), b.get())).contains(true);
    } finally {
      pool.shutdownNow();
    }
    try (InputStream in = store.openBlob(sha256, 0)) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
    assertThat(first).doesNotExist();
    assertThat(second).doesNotExist();
    assertThat(client.listMultipartUploads(r -> r.bucket(bucketOf(store))).uploads()).isEmpty();
  }
}
