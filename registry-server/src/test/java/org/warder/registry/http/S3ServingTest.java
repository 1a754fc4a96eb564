package org.warder.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.storage.RegistryStore;
import org.warder.registry.storage.S3Store;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.S3ProxyServer;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.Digests;
import org.warder.signing.Ed25519SigningKey;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A registry whose blobs and metadata are in a bucket (S3Proxy in this JVM): a publish through the
 * server stores the blob by multipart upload and the metadata as objects, reads come straight from
 * the bucket (ETag, 304, open ranges) and a TUF client refreshes over it; with a public base URL,
 * immutable reads are redirected there and the timestamp is not.
 */
class S3ServingTest {
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  @TempDir static Path s3dir;
  private static S3ProxyServer s3;
  private static S3Client client;

  @TempDir Path tmp;
  private TestRegistry registry;
  private RegistryStore store;
  private final Ed25519SigningKey releasesKey = Ed25519SigningKey.generate();
  private byte[] blob;
  private String url;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = new S3ProxyServer(s3dir);
    client = s3.client();
  }

  @AfterAll
  static void stopS3() throws Exception {
    client.close();
    s3.stop();
  }

  private void publish(Optional<URI> publicBase) throws Exception {
    String bucket = s3.createBucket("serving-" + BUCKETS.incrementAndGet());
    registry =
        TestRegistry.create(tmp, layout -> new S3Store(client, bucket, "registry"))
            .start(s -> s, publicBase);
    store = registry.repository.store();
    blob = new byte[S3Store.PART_SIZE + 4321];
    new Random(3).nextBytes(blob);
    registry.delegate("releases", List.of(releasesKey), 1, "releases/*/*/*");
    HttpResponse<byte[]> published =
        registry
            .publisher(registry.token("releases", "releases"))
            .publishOne("releases", "releases/14.2-RELEASE/amd64/base.txz", blob, releasesKey);
    assertThat(published.statusCode())
        .as(new String(published.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
    url = "/targets/releases/14.2-RELEASE/amd64/" + Digests.sha256Hex(blob) + ".base.txz";
  }

  @AfterEach
  void tearDown() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void aPublishGoesToTheBucketAndReadsComeStraightFromIt() throws Exception {
    publish(Optional.empty());
    Http http = registry.http();
    String sha256 = Digests.sha256Hex(blob);

    assertThat(store.blobLength(sha256)).hasValue(blob.length);
    assertThat(store.metadata("1.releases.json")).isPresent();
    assertThat(registry.layout.blobs()).doesNotExist();

    HttpResponse<byte[]> whole = http.send("GET", url, null);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo(blob);
    assertThat(whole.headers().firstValue("ETag")).hasValue("\"" + sha256 + "\"");
    assertThat(whole.headers().firstValue("Cache-Control"))
        .hasValue("public, max-age=31536000, immutable");

    HttpResponse<byte[]> head = http.send("HEAD", url, null);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(blob.length);
    assertThat(head.body()).isEmpty();

    HttpResponse<byte[]> tail = http.send("GET", url, null, "Range", "bytes=1000-");
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(blob, 1000, blob.length));
    assertThat(tail.headers().firstValue("Content-Range"))
        .hasValue("bytes 1000-" + (blob.length - 1) + "/" + blob.length);

    assertThat(http.send("GET", url, null, "If-None-Match", "\"" + sha256 + "\"").statusCode())
        .isEqualTo(304);
    String unpublished = Digests.sha256Hex(new byte[] {9});
    assertThat(
            http.send("GET", "/targets/releases/x/y/" + unpublished + ".base.txz", null)
                .statusCode())
        .isEqualTo(404);

    HttpResponse<byte[]> timestamp = http.send("GET", "/metadata/timestamp.json", null);
    assertThat(timestamp.statusCode()).isEqualTo(200);
    assertThat(timestamp.body()).isEqualTo(store.metadata("timestamp.json").orElseThrow());
    assertThat(timestamp.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(http.send("GET", "/metadata/2.root.json", null).statusCode()).isEqualTo(404);
    // what a failed change left, named by no snapshot
    store.putMetadata("2.releases.json", store.metadata("1.releases.json").orElseThrow());
    assertThat(http.send("GET", "/metadata/2.releases.json", null).statusCode()).isEqualTo(404);

    var client = registry.client(tmp.resolve("client"));
    client.refresh();
    assertThat(client.visible(List.of("releases/14.2-RELEASE/amd64/base.txz")))
        .hasEntrySatisfying(
            "releases/14.2-RELEASE/amd64/base.txz", bytes -> assertThat(bytes).isEqualTo(blob));
  }

  @Test
  void immutableReadsAreRedirectedToThePublicBaseUrlAndTheTimestampIsNot() throws Exception {
    publish(Optional.of(URI.create("https://cdn.example.org/warder/")));
    Http http = registry.http();
    String sha256 = Digests.sha256Hex(blob);

    HttpResponse<byte[]> target = http.send("GET", url, null);
    assertThat(target.statusCode()).isEqualTo(302);
    assertThat(target.headers().firstValue("Location"))
        .hasValue(
            "https://cdn.example.org/warder/blobs/sha256/" + sha256.substring(0, 2) + "/" + sha256);
    HttpResponse<byte[]> root = http.send("GET", "/metadata/1.root.json", null);
    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.headers().firstValue("Location"))
        .hasValue("https://cdn.example.org/warder/repository/metadata/1.root.json");

    assertThat(http.send("GET", "/metadata/timestamp.json", null).statusCode()).isEqualTo(200);
    assertThat(http.send("GET", "/metadata/2.root.json", null).statusCode()).isEqualTo(404);
    store.putMetadata("2.releases.json", store.metadata("1.releases.json").orElseThrow());
    assertThat(http.send("GET", "/metadata/2.releases.json", null).statusCode())
        .as("a file no snapshot names: not redirected")
        .isEqualTo(404);
    String unpublished = Digests.sha256Hex(new byte[] {9});
    assertThat(
            http.send("GET", "/targets/releases/x/y/" + unpublished + ".base.txz", null)
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void hostilePaths_readNothingOutsideTheServedKeys() throws Exception {
    publish(Optional.empty());
    Http http = registry.http();
    for (String path :
        List.of(
            "/metadata/../keys/snapshot.pem",
            "/metadata/..%2fkeys%2fsnapshot.pem",
            "/metadata/%2e%2e/%2e%2e/registry/repository/metadata/timestamp.json",
            "/metadata/.timestamp.json.tmp",
            "/targets/releases/14.2-RELEASE/amd64/../../../../keys/timestamp.pem",
            "/targets/releases/14.2-RELEASE/amd64/" + "0".repeat(64) + ".base.txz",
            "/blobs/sha256/"
                + Digests.sha256Hex(blob).substring(0, 2)
                + "/"
                + Digests.sha256Hex(blob),
            "/upload-parts/x/0-y")) {
      HttpResponse<byte[]> r = http.send("GET", path, null);
      assertThat(r.statusCode()).as(path).isIn(400, 404);
      assertThat(new String(r.body(), StandardCharsets.ISO_8859_1))
          .as(path)
          .doesNotContain("PRIVATE KEY");
    }
  }
}
