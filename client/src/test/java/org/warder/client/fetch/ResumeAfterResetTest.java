package org.warder.client.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A server that resets the connection in the middle of a body: the fetcher asks for the rest with a
 * range request and the bytes come out whole. A raw socket server, because the reset must come
 * after a known number of body bytes.
 */
class ResumeAfterResetTest {
  @Test
  void testFetch_resetMidBodyResumesWithRange() throws Exception {
    byte[] body = new byte[300_000];
    new Random(7).nextBytes(body);
    List<String> ranges = Collections.synchronizedList(new ArrayList<>());
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> serve(server, body, ranges));
      t.setDaemon(true);
      t.start();
      OkHttpFetcher fetcher =
          new OkHttpFetcher(
              new HttpSettings(
                  Duration.ofSeconds(2),
                  Duration.ofSeconds(2),
                  Duration.ofSeconds(5),
                  1 << 20,
                  Duration.ofMillis(10),
                  Duration.ofSeconds(5)),
              "warder-test");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      fetcher.fetch(
          URI.create("http://127.0.0.1:" + server.getLocalPort() + "/base.txz"), body.length, out);
      assertThat(out.toByteArray()).isEqualTo(body);
      assertThat(ranges).hasSize(2);
      assertThat(ranges.get(0)).isEmpty();
      assertThat(ranges.get(1)).isEqualTo("bytes=100000-");
    }
  }

  private static void serve(ServerSocket server, byte[] body, List<String> ranges) {
    for (int i = 0; i < 2; i++) {
      try (Socket s = server.accept()) {
        String range = readRange(s.getInputStream());
        ranges.add(range);
        OutputStream out = s.getOutputStream();
        if (range.isEmpty()) {
          out.write(
              ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          out.write(body, 0, 100_000);
          out.flush();
          s.setSoLinger(true, 0); // close with RST mid-body
        } else {
          int from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
          out.write(
              ("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes "
                      + from
                      + "-"
                      + (body.length - 1)
                      + "/"
                      + body.length
                      + "\r\nContent-Length: "
                      + (body.length - from)
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          out.write(body, from, body.length - from);
          out.flush();
        }
      } catch (IOException e) {
        return;
      }
    }
  }

  private static String readRange(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      head.append((char) c);
    }
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("range:")) {
        return line.substring(6).trim();
      }
    }
    return "";
  }
}
