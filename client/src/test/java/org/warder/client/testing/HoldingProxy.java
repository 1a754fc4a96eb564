package org.warder.client.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real HTTP peer in front of another server on a loopback port: every request is passed on as it
 * is and its answer passed back, except that the body of a path {@link #holdAfter} names stops at a
 * given byte (what comes before it flushed to the client) until the test {@link #release}s it. So a
 * test can see what a client does with the bytes it has while the rest of a download is still to
 * come, with no timing. Thread-safe.
 */
public final class HoldingProxy implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final String upstream;
  private final CountDownLatch holding = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile Predicate<String> held = path -> false;
  private volatile long bytes;

  /** A proxy for {@code upstream}, a base URL ending in a slash. */
  public HoldingProxy(String upstream) throws IOException {
    this.upstream = upstream.endsWith("/") ? upstream : upstream + "/";
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  /** {@code http://127.0.0.1:PORT/}: the upstream's base URL, through the proxy. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /**
   * Holds the body of the paths {@code path} accepts at byte {@code bytes} until {@link #release}:
   * every answer, a range asked for again after a client's timeout too.
   */
  public void holdAfter(Predicate<String> path, long bytes) {
    this.bytes = bytes;
    this.held = path;
  }

  /** Waits until a held body stopped; false when none did within {@code seconds}. */
  public boolean awaitHolding(long seconds) throws InterruptedException {
    return holding.await(seconds, TimeUnit.SECONDS);
  }

  /** Lets a held body go on. */
  public void release() {
    released.countDown();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath().substring(1);
      String query = exchange.getRequestURI().getRawQuery();
      URI target = URI.create(upstream + path + (query == null ? "" : "?" + query));
      HttpURLConnection connection = (HttpURLConnection) target.toURL().openConnection();
      connection.setRequestMethod(exchange.getRequestMethod());
      for (String header : List.of("Range", "Accept", "Accept-Encoding", "If-Match")) {
        String value = exchange.getRequestHeaders().getFirst(header);
        if (value != null) {
          connection.setRequestProperty(header, value);
        }
      }
      int status = connection.getResponseCode();
      for (String header : List.of("Content-Type", "Content-Range", "Accept-Ranges", "ETag")) {
        String value = connection.getHeaderField(header);
        if (value != null) {
          exchange.getResponseHeaders().set(header, value);
        }
      }
      long length = connection.getContentLengthLong();
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(status, head ? -1 : length < 0 ? 0 : length == 0 ? -1 : length);
      if (head || length == 0) {
        return;
      }
      InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      if (body == null) {
        return;
      }
      long from = offset(exchange.getRequestHeaders().getFirst("Range"));
      boolean hold = status < 300 && held.test(path) && from <= bytes && released.getCount() > 0;
      try (InputStream in = body;
          OutputStream out = exchange.getResponseBody()) {
        if (hold) {
          out.write(in.readNBytes((int) (bytes - from)));
          out.flush();
          holding.countDown();
          if (!released.await(5, TimeUnit.MINUTES)) {
            throw new IOException("the test never released " + path);
          }
        }
        in.transferTo(out);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while holding " + path, e);
      }
    }
  }

  /** The first byte a {@code Range: bytes=N-} header asks for; 0 without one. */
  private static long offset(String range) {
    if (range == null || !range.matches("bytes=\\d+-\\d*")) {
      return 0;
    }
    return Long.parseLong(range.substring("bytes=".length(), range.indexOf('-')));
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
