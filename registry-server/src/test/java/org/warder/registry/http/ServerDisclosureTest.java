package org.warder.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.eclipse.jetty.util.Jetty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.TestRegistry;

/**
 * What the server tells anonymous clients about itself: no server name or version in any header or
 * error page (those the handlers write, and those Jetty writes for requests it cannot parse), and
 * {@code /metrics} only on its own listener.
 */
class ServerDisclosureTest {
  @TempDir Path tmp;
  private TestRegistry registry;

  @AfterEach
  void tearDown() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  /**
   * The whole answer, status line to body, to a raw request (the connection is closed after it).
   */
  private static String raw(URI base, String request) throws Exception {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static void assertAnonymous(String answer) {
    String lower = answer.toLowerCase(Locale.ROOT);
    assertThat(lower)
        .doesNotContain("server:")
        .doesNotContain("x-powered-by")
        .doesNotContain("jetty");
    assertThat(answer).doesNotContain(Jetty.VERSION);
  }

  @Test
  void testResponses_nameNoServerNorVersion() throws Exception {
    registry = TestRegistry.create(tmp).start();
    URI base = registry.url();
    String close = "Host: x\r\nConnection: close\r\n";

    String healthz = raw(base, "GET /healthz HTTP/1.1\r\n" + close + "\r\n");
    assertThat(healthz).startsWith("HTTP/1.1 200 ");
    assertAnonymous(healthz);

    String notFound = raw(base, "GET /metadata/none.json HTTP/1.1\r\n" + close + "\r\n");
    assertThat(notFound).startsWith("HTTP/1.1 404 ").endsWith("\r\n\r\n404 Not Found\n");
    assertAnonymous(notFound);

    String notAllowed = raw(base, "DELETE /metadata/timestamp.json HTTP/1.1\r\n" + close + "\r\n");
    assertThat(notAllowed).startsWith("HTTP/1.1 404 ");
    assertAnonymous(notAllowed);

    String api =
        raw(base, "POST /api/v1/uploads HTTP/1.1\r\n" + close + "Content-Length: 0\r\n\r\n");
    assertThat(api).startsWith("HTTP/1.1 401 ").contains("\"code\":\"UNAUTHORIZED\"");
    assertAnonymous(api);

    // Refused by Jetty's parser before any handler runs.
    String badVersion = raw(base, "GET /healthz HTTP/7.1\r\n" + close + "\r\n");
    assertThat(badVersion).startsWith("HTTP/1.1 ");
    assertAnonymous(badVersion);

    String hugeHeader =
        raw(
            base,
            "GET /healthz HTTP/1.1\r\n" + close + "X-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n");
    assertThat(hugeHeader).startsWith("HTTP/1.1 431 ");
    assertAnonymous(hugeHeader);

    String badUri = raw(base, "GET /metadata/%zz HTTP/1.1\r\n" + close + "\r\n");
    assertThat(badUri).startsWith("HTTP/1.1 400 ");
    assertAnonymous(badUri);
  }

  @Test
  void testMetrics_notOnThePublicListener() throws Exception {
    registry =
        TestRegistry.create(tmp)
            .start(
                s ->
                    s.withMetricsListen(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
    Http http = registry.http();
    for (String method : new String[] {"GET", "HEAD"}) {
      HttpResponse<byte[]> scrape = http.send(method, "/metrics", null);
      assertThat(scrape.statusCode()).isEqualTo(404);
      assertThat(new String(scrape.body(), StandardCharsets.UTF_8)).doesNotContain("warder_");
    }
  }

  @Test
  void testMetrics_servedNowhereByDefault() throws Exception {
    registry = TestRegistry.create(tmp).start();
    assertThat(registry.server().metricsUrl()).isEmpty();
    assertThat(registry.http().send("GET", "/metrics", null).statusCode()).isEqualTo(404);
  }

  @Test
  void testMetricsListener_servesMetricsOnly() throws Exception {
    registry =
        TestRegistry.create(tmp)
            .start(
                s ->
                    s.withMetricsListen(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
    URI metrics = registry.server().metricsUrl().orElseThrow();
    assertThat(metrics.getPort()).isNotEqualTo(registry.url().getPort());
    Http http = registry.http();

    HttpResponse<byte[]> scrape = http.send("GET", metrics.toString(), null);
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(new String(scrape.body(), StandardCharsets.UTF_8))
        .contains("warder_timestamp_version ");
    assertThat(scrape.headers().firstValue("Server")).isEmpty();

    // Nothing of the registry itself on the metrics port.
    for (String path :
        new String[] {
          "healthz", "metadata/timestamp.json", "metadata/1.root.json", "api/v1/uploads"
        }) {
      assertThat(http.send("GET", metrics.resolve("/" + path).toString(), null).statusCode())
          .as(path)
          .isEqualTo(404);
    }
    assertThat(http.send("POST", metrics.toString(), new byte[0]).statusCode()).isEqualTo(404);
  }
}
