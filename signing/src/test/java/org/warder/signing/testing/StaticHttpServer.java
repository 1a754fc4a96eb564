package org.warder.signing.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A real HTTP server on a loopback port serving a directory as static files, recording the raw
 * request paths: the "any static web server" a TUF repository may live on. Thread-safe.
 */
public final class StaticHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final Path root;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  public StaticHttpServer(Path root) throws IOException {
    this(root, 0);
  }

  /** A server on {@code port} (0: any free port), e.g. to come back on the port it had. */
  public StaticHttpServer(Path root, int port) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:PORT/} followed by {@code path}. */
  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + path);
  }

  /** Raw request paths, in order. */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  public void clearRequests() {
    requests.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String raw = exchange.getRequestURI().getRawPath();
    requests.add(raw);
    Path file = root.resolve(URI.create(raw).getPath().substring(1)).normalize();
    try (exchange) {
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = Files.readAllBytes(file);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
