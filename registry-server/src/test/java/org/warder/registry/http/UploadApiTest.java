package org.warder.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.Digests;
import org.warder.signing.testing.TestFiles;

/** Resumable upload sessions and blob checks over real HTTP against the in-process server. */
class UploadApiTest {
  @TempDir Path tmp;
  private TestRegistry registry;
  private String token;
  private Publisher publisher;

  @BeforeEach
  void setUp() throws Exception {
    registry = TestRegistry.create(tmp).start(s -> s.withMaxBlobSize(1 << 20));
    token = registry.token("acme", "acme");
    publisher = registry.publisher(token);
  }

  @AfterEach
  void tearDown() throws Exception {
    registry.close();
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private long offset(String uuid) throws Exception {
    HttpResponse<byte[]> head = publisher.send("HEAD", "/api/v1/uploads/" + uuid, null);
    assertThat(head.statusCode()).isEqualTo(200);
    return Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
  }

  private Path blobs() {
    return registry.layout.blobs();
  }

  @Test
  void testUpload_chunksThenCommit() throws Exception {
    byte[] content = random(200_000, 1);
    HttpResponse<byte[]> created = publisher.send("POST", "/api/v1/uploads", null);
    assertThat(created.statusCode()).isEqualTo(201);
    String uuid = Http.json(created).get("uuid").asText();
    assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/uploads/" + uuid);
    assertThat(created.headers().firstValue("Upload-Offset")).hasValue("0");
    assertThat(Files.isRegularFile(registry.layout.uploadStartedAt(uuid))).isTrue();

    HttpResponse<byte[]> first = publisher.patch(uuid, content, 0, 70_000);
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(first.headers().firstValue("Upload-Offset")).hasValue("70000");
    assertThat(offset(uuid)).isEqualTo(70_000);
    assertThat(publisher.patch(uuid, content, 70_000, 140_000).statusCode()).isEqualTo(202);
    assertThat(publisher.patch(uuid, content, 140_000, 200_000).statusCode()).isEqualTo(202);
    HttpResponse<byte[]> get = publisher.send("GET", "/api/v1/uploads/" + uuid, null);
    assertThat(Http.json(get).get("offset").asLong()).isEqualTo(200_000);

    String sha256 = Digests.sha256Hex(content);
    HttpResponse<byte[]> commit = publisher.commit(uuid, sha256, content.length);
    assertThat(commit.statusCode()).isEqualTo(201);
    assertThat(Http.json(commit).get("sha256").asText()).isEqualTo(sha256);
    assertThat(Http.json(commit).get("length").asLong()).isEqualTo(200_000);

    Path blob = blobs().resolve(sha256.substring(0, 2)).resolve(sha256);
    assertThat(blob).hasBinaryContent(content);
    assertThat(Files.getPosixFilePermissions(blob)).noneMatch(p -> p.name().endsWith("WRITE"));
    assertThat(registry.layout.upload(uuid)).doesNotExist();
    HttpResponse<byte[]> gone = publisher.send("GET", "/api/v1/uploads/" + uuid, null);
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(Http.errorCode(gone)).isEqualTo("UPLOAD_UNKNOWN");

    HttpResponse<byte[]> exists = publisher.send("HEAD", "/api/v1/blobs/" + sha256, null);
    assertThat(exists.statusCode()).isEqualTo(200);
    assertThat(exists.headers().firstValue("Content-Length")).hasValue("200000");
    String other = Digests.sha256Hex(new byte[] {1});
    assertThat(publisher.send("HEAD", "/api/v1/blobs/" + other, null).statusCode()).isEqualTo(404);
  }

  @Test
  void testSession_onlyItsTokenMayUseIt() throws Exception {
    byte[] content = random(10_000, 9);
    String uuid = publisher.start();
    assertThat(publisher.patch(uuid, content, 0, 4000).statusCode()).isEqualTo(202);
    Publisher other = registry.publisher(registry.token("mallory", "mallory"));
    String never = "0b6f0a43-6c1c-4f2b-9d55-4c5a2a8f4b10";
    String neverMessage = Http.errorMessage(other.send("GET", "/api/v1/uploads/" + never, null));

    List<HttpResponse<byte[]>> tries =
        List.of(
            other.send("GET", "/api/v1/uploads/" + uuid, null),
            other.patch(uuid, content, 4000, 10_000),
            other.patch(uuid, content, 0, 10_000),
            other.commit(uuid, Digests.sha256Hex(Arrays.copyOf(content, 4000)), 4000),
            other.send("DELETE", "/api/v1/uploads/" + uuid, null));
    for (HttpResponse<byte[]> r : tries) {
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(Http.errorCode(r)).isEqualTo("UPLOAD_UNKNOWN");
      // the same answer as for a session that never existed: nothing tells another token it exists
      assertThat(Http.errorMessage(r)).isEqualTo(neverMessage.replace(never, uuid));
    }
    assertThat(other.send("HEAD", "/api/v1/uploads/" + uuid, null).statusCode()).isEqualTo(404);
    assertThat(registry.layout.uploadData(uuid)).hasSize(4000);

    assertThat(offset(uuid)).isEqualTo(4000);
    assertThat(publisher.patch(uuid, content, 4000, 10_000).statusCode()).isEqualTo(202);
    assertThat(publisher.commit(uuid, Digests.sha256Hex(content), content.length).statusCode())
        .isEqualTo(201);
    assertThat(registry.layout.blob(Digests.sha256Hex(content)).orElseThrow())
        .hasBinaryContent(content);
  }

  @Test
  void testUpload_resumesAfterACutConnection() throws Exception {
    byte[] content = random(300_000, 2);
    String uuid = publisher.start();
    int sent = 123_457;
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), registry.server().port())) {
      OutputStream out = socket.getOutputStream();
      String head =
          "PATCH /api/v1/uploads/"
              + uuid
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
              + token
              + "\r\nContent-Range: bytes 0-"
              + (content.length - 1)
              + "/*\r\nContent-Length: "
              + content.length
              + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(content, 0, sent);
      out.flush();
    } // the connection is cut with most of the body unsent

    // HEAD waits for a cut request the server is still reading, but the server may not have
    // started on it yet when the HEAD arrives (another thread takes it): ask until every byte
    // sent is on the disk; a server that lost some never gets there and the test times out
    long offset = offset(uuid);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (offset < sent && System.nanoTime() < deadline) {
      Thread.sleep(20);
      offset = offset(uuid);
    }
    assertThat(offset).isEqualTo(sent);
    HttpResponse<byte[]> rest = publisher.patch(uuid, content, (int) offset, content.length);
    assertThat(rest.statusCode()).isEqualTo(202);
    assertThat(publisher.commit(uuid, Digests.sha256Hex(content), content.length).statusCode())
        .isEqualTo(201);
    assertThat(registry.layout.blob(Digests.sha256Hex(content)).orElseThrow())
        .hasBinaryContent(content);
  }

  @Test
  void testPatch_wrongOffsetIs416() throws Exception {
    byte[] content = random(1000, 3);
    String uuid = publisher.start();
    assertThat(publisher.patch(uuid, content, 0, 400).statusCode()).isEqualTo(202);

    HttpResponse<byte[]> again = publisher.patch(uuid, content, 0, 400);
    assertThat(again.statusCode()).isEqualTo(416);
    assertThat(Http.errorCode(again)).isEqualTo("RANGE_INVALID");
    assertThat(Http.errorMessage(again))
        .contains("offset 400", "starting at 0", "continue from 400");
    assertThat(again.headers().firstValue("Upload-Offset")).hasValue("400");
    assertThat(Http.json(again).at("/errors/0/detail/offset").asLong()).isEqualTo(400);

    HttpResponse<byte[]> gap = publisher.patch(uuid, content, 500, 1000);
    assertThat(gap.statusCode()).isEqualTo(416);

    HttpResponse<byte[]> noRange =
        publisher.send("PATCH", "/api/v1/uploads/" + uuid, Arrays.copyOfRange(content, 400, 1000));
    assertThat(noRange.statusCode()).isEqualTo(416);
    assertThat(Http.errorMessage(noRange)).contains("expected a Content-Range");
    assertThat(offset(uuid)).isEqualTo(400);
  }

  @Test
  void testCommit_digestMismatchLeavesNothingVisible() throws Exception {
    byte[] content = random(5000, 4);
    String uuid = publisher.start();
    publisher.patch(uuid, content, 0, content.length);
    String declared = Digests.sha256Hex(new byte[] {42});
    HttpResponse<byte[]> commit = publisher.commit(uuid, declared, content.length);
    assertThat(commit.statusCode()).isEqualTo(400);
    assertThat(Http.errorCode(commit)).isEqualTo("DIGEST_INVALID");
    assertThat(Http.errorMessage(commit))
        .contains("expected sha256 " + declared, "found " + Digests.sha256Hex(content));
    assertThat(TestFiles.digests(blobs())).isEmpty();
    assertThat(registry.layout.upload(uuid)).doesNotExist();
    assertThat(publisher.send("HEAD", "/api/v1/blobs/" + declared, null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void testCommit_lengthMismatchLeavesNothingVisible() throws Exception {
    byte[] content = random(5000, 5);
    String uuid = publisher.start();
    publisher.patch(uuid, content, 0, content.length);
    HttpResponse<byte[]> commit = publisher.commit(uuid, Digests.sha256Hex(content), 4999);
    assertThat(commit.statusCode()).isEqualTo(400);
    assertThat(Http.errorCode(commit)).isEqualTo("SIZE_INVALID");
    assertThat(Http.errorMessage(commit)).contains("expected 4999 bytes", "found 5000");
    assertThat(TestFiles.digests(blobs())).isEmpty();
    assertThat(registry.layout.upload(uuid)).doesNotExist();
    HttpResponse<byte[]> badQuery =
        publisher.send("PUT", "/api/v1/uploads/" + publisher.start() + "?sha256=abc", null);
    assertThat(badQuery.statusCode()).isEqualTo(400);
  }

  @Test
  void testPatch_beyondTheSizeLimitIs413() throws Exception {
    byte[] content = random((1 << 20) + 1, 6);
    String uuid = publisher.start();
    HttpResponse<byte[]> big = publisher.patch(uuid, content, 0, content.length);
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(Http.errorCode(big)).isEqualTo("TOO_LARGE");
    assertThat(Http.errorMessage(big)).contains("limit of 1048576 bytes");
    assertThat(offset(uuid)).isZero();
    // metadata documents are capped too
    HttpResponse<byte[]> metadata = publisher.submit("acme", new byte[5_000_001]);
    assertThat(metadata.statusCode()).isEqualTo(413);
    assertThat(Http.errorCode(metadata)).isEqualTo("TOO_LARGE");
  }

  @Test
  void testAuth_401WithoutOrWithUnknownToken_403WithoutRoles() throws Exception {
    Http http = registry.http();
    HttpResponse<byte[]> none = http.send("POST", "/api/v1/uploads", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(Http.errorCode(none)).isEqualTo("UNAUTHORIZED");
    assertThat(Http.json(none).at("/errors/0/detail").isObject()).isTrue();

    String forged = "wrd_" + token.substring(4, 16) + "_" + "0".repeat(64);
    for (String bad : new String[] {"Bearer " + forged, "Bearer nonsense", "Basic dXNlcjpwYXNz"}) {
      HttpResponse<byte[]> r = http.send("POST", "/api/v1/uploads", null, "Authorization", bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(401);
      assertThat(Http.errorCode(r)).isEqualTo("UNAUTHORIZED");
    }
    String roleless = registry.token("nobody");
    HttpResponse<byte[]> denied =
        registry.publisher(roleless).send("POST", "/api/v1/uploads", null);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(Http.errorCode(denied)).isEqualTo("DENIED");
    HttpResponse<byte[]> head = http.send("HEAD", "/api/v1/blobs/" + "a".repeat(64), null);
    assertThat(head.statusCode()).isEqualTo(401);
  }

  @Test
  void testUpload_cancelAndUnknownSessions() throws Exception {
    String uuid = publisher.start();
    assertThat(publisher.send("DELETE", "/api/v1/uploads/" + uuid, null).statusCode())
        .isEqualTo(204);
    assertThat(registry.layout.upload(uuid)).doesNotExist();
    for (String id :
        new String[] {uuid, "00000000-0000-0000-0000-000000000000", "..", "not-a-uuid"}) {
      HttpResponse<byte[]> r = publisher.send("GET", "/api/v1/uploads/" + id, null);
      assertThat(r.statusCode()).as(id).isEqualTo(404);
    }
    HttpResponse<byte[]> wrongMethod = publisher.send("GET", "/api/v1/uploads", null);
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(Http.errorCode(wrongMethod)).isEqualTo("METHOD_NOT_ALLOWED");
  }

  @Test
  void testCommit_existingBlobIsKept() throws Exception {
    byte[] content = random(10_000, 7);
    String sha256 = publisher.upload(content, 3000);
    Path blob = registry.layout.blob(sha256).orElseThrow();
    long inode = (long) Files.getAttribute(blob, "unix:ino");
    assertThat(publisher.upload(content, 10_000)).isEqualTo(sha256);
    assertThat((long) Files.getAttribute(blob, "unix:ino")).isEqualTo(inode);
    assertThat(TestFiles.digests(blobs())).hasSize(1);
    assertThat(TestFiles.digests(registry.layout.uploads())).isEmpty();
  }

  @Test
  void testUpload_emptyBlob() throws Exception {
    String uuid = publisher.start();
    assertThat(publisher.commit(uuid, Digests.sha256Hex(new byte[0]), 0).statusCode())
        .isEqualTo(201);
    assertThat(registry.layout.blob(Digests.sha256Hex(new byte[0])).orElseThrow()).isEmptyFile();
  }
}
