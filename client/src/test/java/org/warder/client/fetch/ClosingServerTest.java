package org.warder.client.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server that closes every connection after one answer without saying {@code Connection: close}
 * (HTTP/1.0 servers such as Python's http.server, which the TUF conformance scenarios use; some
 * proxies and mirrors): each request after the first fails on the pooled connection, and must be
 * sent again at once on a new one, never after a backoff. The backoff here is an hour: a test that
 * waited on it would time out.
 */
class ClosingServerTest {
  private static final HttpSettings HOUR_BACKOFF =
      new HttpSettings(
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          Duration.ofSeconds(10),
          1024 * 1024,
          Duration.ofHours(1),
          Duration.ofHours(1));

  @ParameterizedTest
  @ValueSource(strings = {"HTTP/1.0", "HTTP/1.1"})
  void everyRequestIsAnsweredWithoutWaitingOnABackoff(String version) throws Exception {
    AtomicInteger connections = new AtomicInteger();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread serving =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try (Socket s = server.accept()) {
                    int n = connections.incrementAndGet();
                    BufferedReader in =
                        new BufferedReader(
                            new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    for (String line = in.readLine(); line != null && !line.isEmpty(); ) {
                      line = in.readLine();
                    }
                    byte[] body = ("answer " + n).getBytes(StandardCharsets.US_ASCII);
                    OutputStream out = s.getOutputStream();
                    out.write(
                        (version + " 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                  } catch (IOException e) {
                    // closed by the test
                  }
                }
              },
              "closing-server");
      serving.setDaemon(true);
      serving.start();
      URI url = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/metadata/1.root.json");
      OkHttpFetcher fetcher = new OkHttpFetcher(HOUR_BACKOFF, "warder-test");

      assertTimeoutPreemptively(
          Duration.ofSeconds(60),
          () -> {
            for (int i = 1; i <= 10; i++) {
              assertThat(new String(fetcher.fetchBytes(url, 100), StandardCharsets.US_ASCII))
                  .startsWith("answer ");
            }
          });
      assertThat(connections.get())
          .as(
              "each request after the first failed once on the closed connection, then got a new one")
          .isBetween(10, 19);
    }
  }
}
