package org.warder.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.Digests;
import org.warder.signing.Ed25519SigningKey;

/**
 * Clients that send request bodies a byte at a time (slowloris on the body): anonymous ones are
 * refused before a byte of their body is read, authenticated ones beyond the API's places at once,
 * and the admitted ones once their rate falls below the minimum; meanwhile reads are answered.
 */
class SlowClientsTest {
  private static final int SLOW = 500;
  private static final int BODY = 1 << 20;

  @TempDir Path tmp;
  private TestRegistry registry;
  private final List<Slow> slow = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (Slow s : slow) {
      s.socket.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  /** One slow client: its request's headers are sent, its body one byte now and then. */
  private static final class Slow {
    final Socket socket;
    final boolean authenticated;
    int sent;
    boolean gone;

    Slow(Socket socket, boolean authenticated) {
      this.socket = socket;
      this.authenticated = authenticated;
    }

    /** Sends one more byte of the body; false once the server closed the connection. */
    boolean trickle() {
      if (gone || sent >= BODY) {
        return false;
      }
      try {
        OutputStream out = socket.getOutputStream();
        out.write('x');
        out.flush();
        sent++;
        return true;
      } catch (IOException e) {
        gone = true;
        return false;
      }
    }
  }

  /**
   * Opens a connection and sends the headers of {@code method path} with a 1 MiB body, and its
   * first byte.
   */
  private Slow open(
      URI base, String method, String path, String authorization, boolean authenticated)
      throws IOException {
    Socket socket = new Socket(base.getHost(), base.getPort());
    socket.setSoTimeout(10_000);
    StringBuilder head =
        new StringBuilder()
            .append(method)
            .append(' ')
            .append(path)
            .append(" HTTP/1.1\r\n")
            .append("Host: ")
            .append(base.getHost())
            .append("\r\n")
            .append("Content-Length: ")
            .append(BODY)
            .append("\r\n");
    if (method.equals("PATCH")) {
      head.append("Content-Range: bytes 0-").append(BODY - 1).append("/*\r\n");
    }
    if (!authorization.isEmpty()) {
      head.append("Authorization: ").append(authorization).append("\r\n");
    }
    head.append("\r\n");
    socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    Slow s = new Slow(socket, authenticated);
    s.trickle();
    slow.add(s);
    return s;
  }

  /** The answer on {@code s}'s connection: status line, headers and a Content-Length body. */
  private static String answer(Slow s) throws IOException {
    InputStream in = s.socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    String headers = head.toString(StandardCharsets.ISO_8859_1);
    int length =
        headers
            .lines()
            .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-length:"))
            .mapToInt(l -> Integer.parseInt(l.substring(l.indexOf(':') + 1).trim()))
            .findFirst()
            .orElse(0);
    return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static long openFileLimit() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
        ? unix.getMaxFileDescriptorCount()
        : Long.MAX_VALUE;
  }

  @Test
  void testSlowBodies_refusedWhileReadsAreAnswered() throws Exception {
    assertThat(openFileLimit())
        .as(
            "open files allowed: this test holds %d connections, both ends in this JVM; raise ulimit -n",
            SLOW)
        .isGreaterThan(4L * SLOW);
    registry = TestRegistry.create(tmp).start();
    URI base = registry.url();
    // 50 tokens: each holds 5 of the slow sessions, within a token's default limit of 8
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      tokens.add(registry.token("publisher" + i, "acme"));
    }
    // the target read below is published (only blobs that committed metadata names are served)
    Ed25519SigningKey acmeKey = Ed25519SigningKey.generate();
    registry.delegate("acme", List.of(acmeKey), 1, "plugins/x/*");
    byte[] content = "a target".getBytes(StandardCharsets.UTF_8);
    String sha256 = Digests.sha256Hex(content);
    Publisher acme = registry.publisher(tokens.get(0));
    acme.upload(content, 1 << 20);
    HttpResponse<byte[]> published =
        acme.submit(
            "acme",
            Publisher.targets(
                    1,
                    Instant.now().plus(Duration.ofDays(30)),
                    Map.of("plugins/x/a.txt", content),
                    List.of(acmeKey))
                .toBytes());
    assertThat(published.statusCode())
        .as(new String(published.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
    String target = "/targets/plugins/x/" + sha256 + ".a.txt";

    // 500 slow clients: half without a valid token (none, a made-up one, another scheme), half
    // with one of 25 valid tokens; uploads and metadata submissions.
    List<String> sessions = new ArrayList<>();
    for (int i = 0; i < SLOW; i++) {
      boolean authenticated = i % 2 == 1;
      sessions.add(
          authenticated
              ? registry.publisher(tokens.get((i / 2) % tokens.size())).start()
              : UUID.randomUUID().toString());
    }
    for (int i = 0; i < SLOW; i++) {
      boolean authenticated = i % 2 == 1;
      String token = tokens.get((i / 2) % tokens.size());
      String method = i % 4 < 2 ? "PATCH" : "PUT";
      String session = sessions.get(i);
      String path = method.equals("PATCH") ? "/api/v1/uploads/" + session : "/api/v1/metadata/acme";
      String authorization =
          authenticated
              ? "Bearer " + token
              : switch (i % 3) {
                case 0 -> "";
                case 1 -> "Bearer wrd_000000000000_" + "0".repeat(64);
                default -> "Basic YWNtZTphY21l";
              };
      open(base, method, path, authorization, authenticated);
    }

    // While they trickle a byte a second each, reads are timed.
    AtomicBoolean stop = new AtomicBoolean();
    Thread trickler =
        new Thread(
            () -> {
              while (!stop.get()) {
                slow.forEach(Slow::trickle);
                try {
                  Thread.sleep(1000);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "trickler");
    trickler.start();
    Http http = registry.http();
    Map<String, List<Long>> latencies = new TreeMap<>();
    long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
    try {
      while (System.nanoTime() < end) {
        for (String path : List.of("/healthz", "/metadata/timestamp.json", target)) {
          long start = System.nanoTime();
          HttpResponse<byte[]> r = http.send("GET", path, null);
          latencies
              .computeIfAbsent(path, p -> new ArrayList<>())
              .add((System.nanoTime() - start) / 1_000_000);
          assertThat(r.statusCode()).as(path).isEqualTo(200);
        }
      }
    } finally {
      stop.set(true);
      trickler.join();
    }
    latencies.forEach(
        (path, ms) -> {
          Collections.sort(ms);
          long p90 = ms.get(ms.size() * 9 / 10);
          long max = ms.get(ms.size() - 1);
          assertThat(p90)
              .as("90th percentile of %d reads of %s, ms: %s", ms.size(), path, ms)
              .isLessThan(1000);
          assertThat(max)
              .as("slowest of %d reads of %s, ms: %s", ms.size(), path, ms)
              .isLessThan(5000);
        });

    // Every slow client was answered long before its body could have arrived (a few bytes of
    // 1 MiB): anonymous ones 401 without their body being read, the connection closed after;
    // authenticated ones 503 BUSY over the API's places, or 408 TOO_SLOW once admitted.
    Map<String, Integer> outcomes = new TreeMap<>();
    for (Slow s : slow) {
      String answer;
      try {
        answer = answer(s);
      } catch (SocketTimeoutException e) {
        throw new AssertionError(
            "no answer after " + s.sent + " bytes of the body on " + s.socket, e);
      }
      assertThat(s.sent).isLessThan(100);
      String status = answer.isEmpty() ? "none" : answer.substring(9, 12);
      outcomes.merge((s.authenticated ? "token " : "anonymous ") + status, 1, Integer::sum);
      if (!s.authenticated) {
        assertThat(answer)
            .startsWith("HTTP/1.1 401 ")
            .contains("Connection: close", "\"code\":\"UNAUTHORIZED\"");
      } else if (answer.startsWith("HTTP/1.1 503 ")) {
        assertThat(answer).contains("Connection: close", "Retry-After: 5", "\"code\":\"BUSY\"");
      } else {
        assertThat(answer)
            .startsWith("HTTP/1.1 408 ")
            .contains(
                "Connection: close",
                "\"code\":\"TOO_SLOW\"",
                "expected at least 1024 bytes per second on average");
      }
    }
    assertThat(outcomes)
        .as("answers by kind")
        .containsEntry("anonymous 401", SLOW / 2)
        .containsKeys("token 503", "token 408");
  }

  /**
   * A registry whose API deadline and idle timeout are {@code deadline} and {@code idle}, at 1
   * byte/s minimum.
   */
  private void startWith(Duration idle, Duration deadline) throws Exception {
    RegistryServer.Limits limits = new RegistryServer.Limits(200, 32, 8, idle, deadline, 1);
    registry = TestRegistry.create(tmp).start(s -> s.withLimits(limits));
  }

  @Test
  void testSlowBody_pauseRefusedKeepingTheBytesReceived() throws Exception {
    startWith(Duration.ofSeconds(1), Duration.ofMinutes(10));
    String token = registry.token("acme", "acme");
    String session = registry.publisher(token).start();
    Slow s = open(registry.url(), "PATCH", "/api/v1/uploads/" + session, "Bearer " + token, true);
    for (int i = 0; i < 99; i++) {
      s.trickle();
    }
    // Then nothing for longer than the idle timeout.
    String answer = answer(s);
    assertThat(answer)
        .startsWith("HTTP/1.1 408 ")
        .contains(
            "Connection: close",
            "Upload-Offset: 100",
            "\"code\":\"TOO_SLOW\"",
            "Idle timeout",
            "no pause over 1 s",
            "continue from 100");
    HttpResponse<byte[]> offset =
        registry.publisher(token).send("HEAD", "/api/v1/uploads/" + session, null);
    assertThat(offset.headers().firstValue("Upload-Offset")).hasValue("100");
  }

  @Test
  void testApiDeadline_cutsOffARequestStillRunning() throws Exception {
    startWith(Duration.ofSeconds(30), Duration.ofSeconds(2));
    String token = registry.token("acme", "acme");
    String session = registry.publisher(token).start();
    long start = System.nanoTime();
    Slow s = open(registry.url(), "PATCH", "/api/v1/uploads/" + session, "Bearer " + token, true);
    // Ten bytes every 100 ms: well above the minimum rate, far too slow for the deadline.
    InputStream in = s.socket.getInputStream();
    s.socket.setSoTimeout(100);
    int read = 0;
    while (read == 0 && System.nanoTime() - start < Duration.ofSeconds(20).toNanos()) {
      for (int i = 0; i < 10; i++) {
        s.trickle();
      }
      try {
        read = in.read() < 0 ? -1 : 1;
      } catch (SocketTimeoutException e) {
        read = 0;
      } catch (IOException e) {
        read = -1;
      }
    }
    long elapsed = (System.nanoTime() - start) / 1_000_000;
    assertThat(read).as("the connection was closed, with no answer").isEqualTo(-1);
    assertThat(elapsed).as("ms until the connection was closed").isBetween(1900L, 10_000L);
    // The bytes that came before the deadline are kept.
    HttpResponse<byte[]> offset =
        registry.publisher(token).send("HEAD", "/api/v1/uploads/" + session, null);
    assertThat(Long.parseLong(offset.headers().firstValue("Upload-Offset").orElseThrow()))
        .isPositive();
  }
}
