package org.warder.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.Digests;
import org.warder.signing.Ed25519SigningKey;

/**
 * Blobs are sent zero-copy (sendfile through {@link FileRegions}, at most {@link
 * FileRegions#MAX_TRANSFER} bytes a call): whole, in ranges, to many clients at once and to clients
 * that go away, always the stored bytes, and nothing stays registered once a response is over.
 */
class BlobServingTest {
  @TempDir Path tmp;
  private TestRegistry registry;
  private final Ed25519SigningKey releasesKey = Ed25519SigningKey.generate();
  private Publisher releases;
  private byte[] blob;
  private String url;

  @BeforeEach
  void setUp() throws Exception {
    registry = TestRegistry.create(tmp).start();
    blob = new byte[6 * 1024 * 1024 + 12345]; // far more than a socket buffer holds
    new Random(42).nextBytes(blob);
    registry.delegate("releases", List.of(releasesKey), 1, "releases/*/*/*");
    releases = registry.publisher(registry.token("releases", "releases"));
    releases.upload(blob, 1 << 20);
    // only blobs that committed metadata references are served
    HttpResponse<byte[]> published =
        releases.submit(
            "releases",
            Publisher.targets(
                    1,
                    Instant.now().plus(Duration.ofDays(30)),
                    Map.of("releases/14.2-RELEASE/amd64/base.txz", blob),
                    List.of(releasesKey))
                .toBytes());
    assertThat(published.statusCode())
        .as(new String(published.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
    url = "/targets/releases/14.2-RELEASE/amd64/" + Digests.sha256Hex(blob) + ".base.txz";
  }

  @AfterEach
  void tearDown() throws Exception {
    registry.close();
  }

  private static void awaitNoneInFlight() throws InterruptedException {
    for (int i = 0; i < 200 && FileRegions.inFlight() > 0; i++) {
      Thread.sleep(25);
    }
    assertThat(FileRegions.inFlight()).isZero();
  }

  @Test
  void testGet_orphanBlobsAreNotServed() throws Exception {
    byte[] neverPublished = "uploaded, never published".getBytes(StandardCharsets.UTF_8);
    byte[] refused =
        "uploaded, published outside the role's paths".getBytes(StandardCharsets.UTF_8);
    releases.upload(neverPublished);
    releases.upload(refused);
    HttpResponse<byte[]> outside =
        releases.submit(
            "releases",
            Publisher.targets(
                    2,
                    Instant.now().plus(Duration.ofDays(30)),
                    Map.of("plugins/evil/x", refused),
                    List.of(releasesKey))
                .toBytes());
    assertThat(outside.statusCode()).isEqualTo(400);
    for (byte[] orphan : List.of(neverPublished, refused)) {
      String sha256 = Digests.sha256Hex(orphan);
      assertThat(registry.layout.blob(sha256).orElseThrow()).exists();
      String orphanUrl = "/targets/releases/14.2-RELEASE/amd64/" + sha256 + ".base.txz";
      assertThat(registry.http().send("GET", orphanUrl, null).statusCode()).isEqualTo(404);
      assertThat(registry.http().send("HEAD", orphanUrl, null).statusCode()).isEqualTo(404);
    }
    assertThat(registry.http().send("GET", url, null).statusCode()).isEqualTo(200);

    HttpResponse<byte[]> published =
        releases.submit(
            "releases",
            Publisher.targets(
                    2,
                    Instant.now().plus(Duration.ofDays(30)),
                    Map.of(
                        "releases/14.2-RELEASE/amd64/base.txz",
                        blob,
                        "releases/14.2-RELEASE/amd64/notes",
                        neverPublished),
                    List.of(releasesKey))
                .toBytes());
    assertThat(published.statusCode()).isEqualTo(200);
    HttpResponse<byte[]> nowServed =
        registry
            .http()
            .send(
                "GET",
                "/targets/releases/14.2-RELEASE/amd64/"
                    + Digests.sha256Hex(neverPublished)
                    + ".notes",
                null);
    assertThat(nowServed.statusCode()).isEqualTo(200);
    assertThat(nowServed.body()).isEqualTo(neverPublished);
  }

  @Test
  void testGet_wholeBlobSentZeroCopy() throws Exception {
    long before = FileRegions.transferred();
    HttpResponse<byte[]> r = registry.http().send("GET", url, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Length")).hasValue(Long.toString(blob.length));
    assertThat(r.body()).isEqualTo(blob);
    assertThat(FileRegions.transferred() - before).isEqualTo(blob.length);
    awaitNoneInFlight();
  }

  @Test
  void testGet_eachSendfileCallIsBounded() throws Exception {
    // 4 x 6 MiB to a client that reads as fast as it can: a Linux socket buffer on loopback grows
    // to 4 MiB, so unbounded calls would send more than MAX_TRANSFER at once
    for (int i = 0; i < 4; i++) {
      assertThat(registry.http().send("GET", url, null).body()).isEqualTo(blob);
    }
    assertThat(FileRegions.largestTransfer())
        .isPositive()
        .isLessThanOrEqualTo(FileRegions.MAX_TRANSFER);
    awaitNoneInFlight();
  }

  @Test
  void testServe_runsOneSelectorThreadPerCore() {
    // blob writes complete on the selector threads; Jetty's default (half the cores) left one of
    // two cores without a thread sending under a burst of downloads
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(registry.server().selectorThreads())
        .isEqualTo(Math.min(cores, RegistryServer.Limits.defaults().threads() / 4));
  }

  @Test
  void testGet_rangesAreTheStoredBytes() throws Exception {
    Http http = registry.http();
    HttpResponse<byte[]> middle = http.send("GET", url, null, "Range", "bytes=1000000-4999999");
    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(blob, 1_000_000, 5_000_000));
    HttpResponse<byte[]> tail = http.send("GET", url, null, "Range", "bytes=-70000");
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(blob, blob.length - 70_000, blob.length));
    HttpResponse<byte[]> resumed = http.send("GET", url, null, "Range", "bytes=5000000-");
    assertThat(resumed.body()).isEqualTo(Arrays.copyOfRange(blob, 5_000_000, blob.length));
    HttpResponse<byte[]> two = http.send("GET", url, null, "Range", "bytes=0-9,100-109");
    assertThat(two.statusCode()).isEqualTo(206);
    String multipart = new String(two.body(), StandardCharsets.ISO_8859_1);
    assertThat(multipart)
        .contains(new String(Arrays.copyOfRange(blob, 0, 10), StandardCharsets.ISO_8859_1))
        .contains(new String(Arrays.copyOfRange(blob, 100, 110), StandardCharsets.ISO_8859_1));
    HttpResponse<byte[]> head = http.send("HEAD", url, null);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Length")).hasValue(Long.toString(blob.length));
    assertThat(head.body()).isEmpty();
    awaitNoneInFlight();
  }

  @Test
  void testGet_concurrentClientsAllGetTheBlob() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<HttpResponse<byte[]>>> all = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        all.add(pool.submit(() -> registry.http().send("GET", url, null)));
      }
      for (Future<HttpResponse<byte[]>> f : all) {
        assertThat(f.get().body()).isEqualTo(blob);
      }
    } finally {
      pool.shutdownNow();
    }
    awaitNoneInFlight();
  }

  @Test
  void testGet_clientGoneMidTransferReleasesTheFile() throws Exception {
    try (Socket socket = new Socket(registry.url().getHost(), registry.url().getPort())) {
      socket.setReceiveBufferSize(64 * 1024);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + url + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] some = in.readNBytes(200_000);
      assertThat(new String(some, 0, 15, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 OK");
      assertThat(FileRegions.inFlight()).isPositive(); // the server is still sending
    }
    awaitNoneInFlight();
    // and the server goes on serving
    assertThat(registry.http().send("GET", url, null).body()).isEqualTo(blob);
  }
}
