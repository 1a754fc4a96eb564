package org.warder.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.testing.ServerProcess;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.Digests;
import org.warder.signing.testing.CliRun;

/**
 * {@code warder repo refresh} while a real registry process is down: SIGKILLed and started again
 * three seconds later on the same address, the refresh waits for it and succeeds; gone for longer
 * than the retry deadline ({@code --retry-deadline}, or {@code retry_deadline} in warder.conf), it
 * fails naming the deadline.
 */
class RefreshDuringRestartTest {
  @TempDir Path tmp;
  private TestRegistry registry;
  private ServerProcess server;
  private final List<CompletableFuture<ServerProcess>> restarts = new ArrayList<>();
  private Path host;

  @BeforeEach
  void setUp() throws Exception {
    registry = TestRegistry.create(tmp);
    server = ServerProcess.start(registry.data, Optional.empty(), tmp.resolve("logs"));
    host = tmp.resolve("host");
    CliRun add =
        warder(
            Map.of(),
            "--root",
            host.toString(),
            "repo",
            "add",
            "main",
            server.url().toString(),
            "--root-sha256",
            Digests.sha256Hex(registry.root()));
    assertThat(add.exitCode()).as(add.err()).isZero();
    server.kill();
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
    for (CompletableFuture<ServerProcess> restart : restarts) {
      restart.get(60, TimeUnit.SECONDS).close();
    }
  }

  private static CliRun warder(Map<String, String> env, String... args) {
    return CliRun.of((out, err, a) -> WarderMain.run(out, err, env, a), args);
  }

  @Test
  void testRefresh_duringARestart_waitsAndSucceeds() {
    URI url = server.url();
    restarts.add(
        ServerProcess.startLater(Duration.ofSeconds(3), registry.data, url, tmp.resolve("logs")));
    CliRun refresh = warder(Map.of(), "--root", host.toString(), "repo", "refresh", "main");
    assertThat(refresh.exitCode()).as(refresh.err()).isZero();
    assertThat(refresh.out()).startsWith("main: root v1, timestamp v");
  }

  @Test
  void testRefresh_registryGoneLongerThanTheDeadline_failsNamingIt() throws Exception {
    CliRun option =
        warder(
            Map.of(),
            "--retry-deadline",
            "1",
            "--root",
            host.toString(),
            "repo",
            "refresh",
            "main");
    assertThat(option.exitCode()).isEqualTo(1);
    assertThat(option.err())
        .startsWith("warder: ")
        .contains("gave up after")
        .contains("the retry deadline is 1 s: raise it with --retry-deadline SECONDS");

    Path conf = Files.writeString(tmp.resolve("warder.conf"), "retry_deadline = 2\n");
    CliRun file =
        warder(
            Map.of("WARDER_CONFIG", conf.toString()),
            "--root",
            host.toString(),
            "repo",
            "refresh",
            "main");
    assertThat(file.exitCode()).isEqualTo(1);
    assertThat(file.err()).contains("gave up after").contains("the retry deadline is 2 s");
  }
}
