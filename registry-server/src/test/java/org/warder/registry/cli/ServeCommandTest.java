package org.warder.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.ServerProcess;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.testing.CliRun;

/** {@code warder-registry serve} options, run as a real process. */
class ServeCommandTest {
  @TempDir Path tmp;

  @Test
  void testServe_metricsListenServesMetricsThereOnly() throws Exception {
    TestRegistry registry = TestRegistry.create(tmp);
    try (ServerProcess server =
        ServerProcess.start(
            registry.data,
            Optional.empty(),
            tmp.resolve("logs"),
            "--metrics-listen",
            "127.0.0.1:0")) {
      URI metrics = server.metricsUrl().orElseThrow();
      assertThat(metrics.getPort()).isNotEqualTo(server.url().getPort());
      Http http = new Http(server.url());
      HttpResponse<byte[]> scrape = http.send("GET", metrics.toString(), null);
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(new String(scrape.body(), StandardCharsets.UTF_8))
          .contains("warder_timestamp_version ");
      assertThat(http.send("GET", "/metrics", null).statusCode()).isEqualTo(404);
      assertThat(http.send("GET", "/healthz", null).headers().firstValue("Server")).isEmpty();
    }
  }

  @Test
  void testServe_metricsListenOnTheListenAddressRefused() throws Exception {
    TestRegistry registry = TestRegistry.create(tmp);
    CliRun run =
        CliRun.of(
            RegistryMain::run,
            "serve",
            "--data",
            registry.data.toString(),
            "--listen",
            "127.0.0.1:18080",
            "--metrics-listen",
            "127.0.0.1:18080");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err())
        .contains("expected --metrics-listen to differ from --listen, found both 127.0.0.1:18080");
  }

  @Test
  void testServe_busyPortNamedWithWhatToDo() throws Exception {
    TestRegistry registry = TestRegistry.create(tmp);
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + taken.getLocalPort();
      CliRun run =
          CliRun.of(
              RegistryMain::run, "serve", "--data", registry.data.toString(), "--listen", address);
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err())
          .startsWith(
              "warder-registry: cannot listen on "
                  + address
                  + " (--listen): the address is in use, by another warder-registry or another"
                  + " server;")
          .contains("choose a free port with --listen HOST:PORT");
    }
  }

  @Test
  void testServe_metricsListenMalformedRefused() throws Exception {
    TestRegistry registry = TestRegistry.create(tmp);
    CliRun run =
        CliRun.of(
            RegistryMain::run,
            "serve",
            "--data",
            registry.data.toString(),
            "--listen",
            "127.0.0.1:0",
            "--metrics-listen",
            "9100");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("expected --metrics-listen HOST:PORT, found 9100");
  }
}
