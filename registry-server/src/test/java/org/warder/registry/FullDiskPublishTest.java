package org.warder.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.SmallFileSystem;
import org.warder.registry.testing.TestRegistry;
import org.warder.registry.testing.TufClient;
import org.warder.signing.Ed25519SigningKey;

/**
 * A publish on a registry whose data directory is a real, nearly full tmpfs: the disk fills after
 * the role's new file is written and before the snapshot that would name it. The publish fails, the
 * file it wrote is removed and was never served, clients see the old version; once space is freed
 * the next publish writes its own bytes under the same version and clients see those.
 */
class FullDiskPublishTest {
  private static final String ROLE = "acme";

  @TempDir Path tmp;
  private SmallFileSystem disk;
  private TestRegistry registry;
  private final Ed25519SigningKey key = Ed25519SigningKey.generate();
  private Publisher publisher;

  @BeforeEach
  void setUp() throws Exception {
    disk = SmallFileSystem.mount(tmp.resolve("small"), 16L << 20);
    registry = TestRegistry.create(disk.root());
    registry.delegate(ROLE, List.of(key), 1, "plugins/acme-*");
    registry.start();
    publisher = registry.publisher(registry.token("acme", ROLE));
    publisher.upload(bytes("first"));
    publisher.upload(bytes("second"));
    assertThat(publisher.submit(ROLE, signed(1, "plugins/acme-first", "first")).statusCode())
        .isEqualTo(200);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (registry != null) {
      registry.close();
    }
    if (disk != null) {
      disk.close();
    }
  }

  private static byte[] bytes(String s) {
    return (s + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private byte[] signed(long version, String path, String content) throws Exception {
    return Publisher.targets(
            version,
            Instant.now().plus(Duration.ofDays(30)),
            Map.of(path, bytes(content)),
            List.of(key))
        .toBytes();
  }

  @Test
  void testDiskFullBeforeTheSnapshot_nothingWrittenStaysNorIsServed() throws Exception {
    byte[] attempt = signed(2, "plugins/acme-second", "second");
    assertThat(attempt.length).as("the role file takes one page").isLessThan(SmallFileSystem.PAGE);
    Map<String, String> before = registry.metadataFiles();
    TufClient client = registry.client(tmp.resolve("client"));
    client.refresh();

    // one free page: the role's file fits, the snapshot does not
    disk.leaveFree(1);
    HttpResponse<byte[]> failed = publisher.submit(ROLE, attempt);
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(Http.errorMessage(failed)).contains("unchanged");
    assertThat(registry.metadataFiles())
        .as("the role file the failed publish wrote is removed")
        .isEqualTo(before);
    assertThat(registry.http().send("GET", "/metadata/2.acme.json", null).statusCode())
        .isEqualTo(404);
    assertThat(disk.freeBytes()).as("its page is free again").isEqualTo(SmallFileSystem.PAGE);
    client.refresh();
    assertThat(client.visible(Set.of("plugins/acme-first", "plugins/acme-second")))
        .containsOnlyKeys("plugins/acme-first");
    assertThat(client.trustedVersion(ROLE)).isEqualTo(1);

    // space again: another version 2, other bytes, is what clients get
    disk.free();
    byte[] retry = signed(2, "plugins/acme-first", "first");
    assertThat(publisher.submit(ROLE, retry).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> served = registry.http().send("GET", "/metadata/2.acme.json", null);
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.body()).isEqualTo(retry);
    client.refresh();
    assertThat(client.visible(Set.of("plugins/acme-first", "plugins/acme-second")))
        .containsOnlyKeys("plugins/acme-first");
    assertThat(client.trustedVersion(ROLE)).isEqualTo(2);
  }

  @Test
  void testServeWithARe_signDueOnAFullDisk_servesAndRe_signsOnceThereIsSpace() throws Exception {
    registry.close();
    // the timestamp expires in 16 hours: inside the 18-hour margin, still valid
    registry.resignTimestampAsOf(Duration.ofHours(8));
    byte[] due = registry.metadataBytes("timestamp.json");
    disk.leaveFree(0);

    registry.start(s -> s.withMaintenanceInterval(Duration.ofMillis(200)));
    TufClient client = registry.client(tmp.resolve("client"));
    HttpResponse<byte[]> served = registry.http().send("GET", "/metadata/timestamp.json", null);
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.body()).as("the valid timestamp is served").isEqualTo(due);
    client.refresh();
    assertThat(client.visible(Set.of("plugins/acme-first"))).containsOnlyKeys("plugins/acme-first");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!registry.serverErrors.toString().contains("cannot re-sign the timestamp")
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(registry.serverErrors.toString()).contains("cannot re-sign the timestamp");
    assertThat(registry.metadataBytes("timestamp.json")).isEqualTo(due);

    disk.free();
    while (Arrays.equals(registry.metadataBytes("timestamp.json"), due)
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    byte[] resigned = registry.http().send("GET", "/metadata/timestamp.json", null).body();
    assertThat(resigned).as("re-signed by a later maintenance round").isNotEqualTo(due);
    client.refresh();
    assertThat(client.visible(Set.of("plugins/acme-first"))).containsOnlyKeys("plugins/acme-first");
  }

  @Test
  void testAFileNoSnapshotNames_isNotServed() throws Exception {
    // what a crash between the role file and the snapshot leaves (CrashSafetyTest makes one
    // with a real kill): the file is there, no snapshot names it
    byte[] left = signed(2, "plugins/acme-second", "second");
    Files.write(registry.layout.metadata().resolve("2.acme.json"), left);
    Files.write(registry.layout.metadata().resolve("99.snapshot.json"), left);
    for (String name : List.of("2.acme.json", "99.snapshot.json")) {
      for (String method : List.of("GET", "HEAD")) {
        assertThat(registry.http().send(method, "/metadata/" + name, null).statusCode())
            .as(method + " " + name)
            .isEqualTo(404);
      }
    }
    assertThat(registry.http().send("GET", "/metadata/1.acme.json", null).statusCode())
        .isEqualTo(200);
    assertThat(registry.http().send("GET", "/metadata/1.root.json", null).statusCode())
        .isEqualTo(200);
    assertThat(registry.http().send("GET", "/metadata/1.snapshot.json", null).statusCode())
        .as("an older snapshot, named once")
        .isEqualTo(200);
    assertThat(registry.http().send("GET", "/metadata/timestamp.json", null).statusCode())
        .isEqualTo(200);
  }
}
