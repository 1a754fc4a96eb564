package org.warder.client.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.fetch.HttpSettings;
import org.warder.client.progress.ProgressListener;
import org.warder.client.progress.Reporter;
import org.warder.registry.testing.ServerProcess;
import org.warder.registry.testing.SmallFileSystem;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.Digests;
import org.warder.signing.testing.TestFiles;

/**
 * The publishing client's uploads under real faults: a registry whose data directory fills up (a
 * tmpfs of a few MiB) and a registry process killed with SIGKILL in the middle of a chunk and
 * started again a few seconds later on the same port and data.
 */
class UploadFaultsTest {
  private static final int MIB = 1024 * 1024;

  @TempDir Path tmp;

  /** A file of {@code size} random bytes; returns its sha256. */
  private static String write(Path file, int size, long seed) throws Exception {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(bytes);
    }
    return Digests.sha256Hex(bytes);
  }

  @Test
  void testUpload_biggerThanTheFreeSpace_failsClearlyLeavesNothingAndGoesThroughOnceFreed()
      throws Exception {
    try (SmallFileSystem disk = SmallFileSystem.mount(tmp.resolve("disk"), 40L * MIB);
        TestRegistry registry = TestRegistry.create(disk.root()).start()) {
      RegistryClient client =
          new RegistryClient(
              registry.url(),
              registry.token("acme", "acme"),
              HttpSettings.defaults(),
              Reporter.silent());
      disk.leaveFree(20 * MIB / SmallFileSystem.PAGE);
      long free = disk.freeBytes();
      Path file = tmp.resolve("release.txz");
      String sha256 = write(file, 32 * MIB, 1); // two chunks: the second does not fit

      for (int attempt = 1; attempt <= 2; attempt++) {
        assertThatThrownBy(() -> client.upload(file, sha256, 32 * MIB, ProgressListener.NONE))
            .as("attempt %d", attempt)
            .isInstanceOfSatisfying(
                RegistryApiException.class,
                e -> {
                  assertThat(e.status()).isEqualTo(507);
                  assertThat(e.code()).isEqualTo("UPLOAD_NOT_STORED");
                })
            .hasMessageContaining("could not store the chunk from byte " + 16 * MIB)
            .hasMessageContaining("No space left on device");
        assertThat(TestFiles.digests(registry.layout.uploads()))
            .as("the session of attempt %d is cancelled, its bytes gone", attempt)
            .isEmpty();
        assertThat(disk.freeBytes()).isGreaterThanOrEqualTo(free - 256 * 1024);
      }

      disk.free();
      client.upload(file, sha256, 32 * MIB, ProgressListener.NONE);
      assertThat(client.hasBlob(sha256)).isTrue();
      assertThat(TestFiles.digests(registry.layout.uploads())).isEmpty();
    }
  }

  @Test
  void testUpload_registryKilledInTheMiddleOfAChunkAndRestarted_finishes() throws Exception {
    TestRegistry registry = TestRegistry.create(tmp);
    String token = registry.token("acme", "acme");
    Path logs = tmp.resolve("logs");
    ServerProcess first = ServerProcess.start(registry.data, Optional.empty(), logs);
    URI url = first.url();
    Path file = tmp.resolve("release.txz");
    String sha256 = write(file, 40 * MIB, 2);
    List<CompletableFuture<ServerProcess>> restarted = new ArrayList<>();
    ProgressListener killer =
        new ProgressListener() {
          long sent;

          @Override
          public void begin(String task, long total) {}

          @Override
          public void advance(long done) {
            sent += done;
            if (sent > 20 * MIB && first.process().isAlive()) {
              try {
                first.kill(); // SIGKILL in the middle of the second chunk
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              restarted.add(
                  ServerProcess.startLater(Duration.ofSeconds(3), registry.data, url, logs));
            }
          }

          @Override
          public void end() {}
        };
    RegistryClient client =
        new RegistryClient(url, token, HttpSettings.defaults(), Reporter.silent());
    try {
      client.upload(file, sha256, 40 * MIB, killer);
      assertThat(first.process().isAlive()).as("killed").isFalse();
      assertThat(restarted).as("killed once").hasSize(1);
      assertThat(restarted.get(0).get(60, TimeUnit.SECONDS).process().isAlive()).isTrue();
      assertThat(client.hasBlob(sha256)).isTrue();
      assertThat(Digests.sha256Hex(Files.readAllBytes(registry.layout.blob(sha256).orElseThrow())))
          .isEqualTo(sha256);
      assertThat(TestFiles.digests(registry.layout.uploads())).isEmpty();
    } finally {
      first.close();
      for (CompletableFuture<ServerProcess> server : restarted) {
        server.get(60, TimeUnit.SECONDS).close();
      }
    }
  }

  @Test
  void testUpload_registryGoneLongerThanTheDeadline_failsNamingIt() throws Exception {
    TestRegistry registry = TestRegistry.create(tmp);
    String token = registry.token("acme", "acme");
    Path file = tmp.resolve("release.txz");
    String sha256 = write(file, 24 * MIB, 3);
    try (ServerProcess server =
        ServerProcess.start(registry.data, Optional.empty(), tmp.resolve("logs"))) {
      List<String> warnings = new ArrayList<>();
      ProgressListener killer =
          new ProgressListener() {
            @Override
            public void begin(String task, long total) {}

            @Override
            public void advance(long done) {
              if (server.process().isAlive()) {
                try {
                  server.kill();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            }

            @Override
            public void end() {}
          };
      RegistryClient client =
          new RegistryClient(
              server.url(),
              token,
              HttpSettings.defaults().withRetryDeadline(Duration.ofSeconds(2)),
              new Reporter() {
                @Override
                public void info(String message) {}

                @Override
                public void warning(String message) {
                  warnings.add(message);
                }

                @Override
                public void output(String line) {}
              });
      assertThatThrownBy(() -> client.upload(file, sha256, 24 * MIB, killer))
          .hasMessageContaining("gave up after")
          .hasMessageContaining("the retry deadline is 2 s");
      assertThat(warnings)
          .singleElement()
          .asString()
          .startsWith("could not cancel upload session " + server.url())
          .contains("purges sessions untouched for a day");
    }
  }
}
