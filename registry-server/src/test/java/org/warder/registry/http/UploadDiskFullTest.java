package org.warder.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.SmallFileSystem;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.Digests;
import org.warder.signing.testing.TestFiles;

/**
 * Upload sessions on a data directory that fills up for real (a 16 MiB tmpfs): a chunk that does
 * not fit keeps none of its bytes and is answered 507 with the offset before it, cancelling the
 * session frees the rest, and once space is freed the same upload goes through.
 */
class UploadDiskFullTest {
  private static final int MIB = 1024 * 1024;

  @TempDir Path tmp;

  @Test
  void testPatch_aChunkThatDoesNotFitKeepsNothingAndIs507WithTheOffset() throws Exception {
    try (SmallFileSystem disk = SmallFileSystem.mount(tmp.resolve("disk"), 16L * MIB);
        TestRegistry registry = TestRegistry.create(disk.root()).start()) {
      Publisher publisher = registry.publisher(registry.token("acme", "acme"));
      disk.leaveFree(3 * MIB / SmallFileSystem.PAGE);
      byte[] blob = new byte[6 * MIB];
      new Random(16).nextBytes(blob);
      String uuid = publisher.start();
      assertThat(publisher.patch(uuid, blob, 0, MIB).statusCode()).isEqualTo(202);
      long freeAfterFirstChunk = disk.freeBytes();

      HttpResponse<byte[]> full = publisher.patch(uuid, blob, MIB, blob.length);

      assertThat(full.statusCode()).isEqualTo(507);
      assertThat(Http.errorCode(full)).isEqualTo("UPLOAD_NOT_STORED");
      assertThat(Http.json(full).path("errors").path(0).path("message").asText())
          .contains("could not store the chunk from byte " + MIB)
          .contains("No space left on device")
          .contains("session is at byte " + MIB + " again");
      assertThat(full.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(MIB));
      assertThat(Files.size(registry.layout.uploadData(uuid))).isEqualTo(MIB);
      assertThat(disk.freeBytes())
          .as("the bytes of the chunk that failed are freed")
          .isGreaterThanOrEqualTo(freeAfterFirstChunk - 64 * 1024);
      HttpResponse<byte[]> head = publisher.send("HEAD", "/api/v1/uploads/" + uuid, null);
      assertThat(head.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(MIB));

      assertThat(publisher.send("DELETE", "/api/v1/uploads/" + uuid, null).statusCode())
          .isEqualTo(204);
      assertThat(TestFiles.digests(registry.layout.uploads())).isEmpty();

      disk.free();
      assertThat(publisher.upload(blob, 2 * MIB)).isEqualTo(Digests.sha256Hex(blob));
      assertThat(TestFiles.digests(registry.layout.uploads())).isEmpty();
    }
  }
}
