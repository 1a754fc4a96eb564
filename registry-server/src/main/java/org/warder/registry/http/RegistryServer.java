package org.warder.registry.http;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ResourceService;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.warder.registry.storage.RegistryLayout;

/**
 * The registry's HTTP server (embedded Jetty 12): TUF metadata and content-addressed targets
 * with ETag, Range and conditional requests, and {@code /healthz}. Stops gracefully.
 */
public final class RegistryServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;

  public RegistryServer(RegistryLayout layout, InetSocketAddress listen) {
    server = new Server();
    connector = new ServerConnector(server);
    connector.setHost(listen.getHostString());
    connector.setPort(listen.getPort());
    server.addConnector(connector);
    ResourceService files = new ResourceService();
    files.setHttpContentFactory(new ContentFactory(layout, ResourceFactory.of(server)));
    files.setAcceptRanges(true);
    files.setEtags(true);
    files.setDirAllowed(false);
    server.addBean(files);
    server.setHandler(new FilesHandler(files));
    server.setStopTimeout(10_000);
    server.setStopAtShutdown(true);
  }

  public void start() throws Exception {
    server.start();
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The base URL clients use. */
  public URI url() {
    String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  /** Stops accepting connections and lets running requests finish (up to 10 s). */
  @Override
  public void close() throws java.io.IOException {
    try {
      server.stop();
    } catch (Exception e) {
      throw new java.io.IOException("cannot stop the HTTP server: " + e.getMessage(), e);
    }
  }

  /** Serves GET and HEAD of metadata and targets, and the health check. */
  private static final class FilesHandler extends Handler.Abstract {
    private final ResourceService files;

    FilesHandler(ResourceService files) {
      this.files = files;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String path = Request.getPathInContext(request);
      String method = request.getMethod();
      if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
        return false;
      }
      if (path.equals("/healthz")) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, StandardCharsets.UTF_8.encode("ok\n"), callback);
        return true;
      }
      HttpContent content = files.getContent(path, request);
      if (content == null) {
        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
        return true;
      }
      response.getHeaders().put(HttpHeader.CACHE_CONTROL,
          ContentFactory.isImmutable(path) ? "public, max-age=31536000, immutable" : "no-cache");
      files.doGet(request, response, callback, content);
      return true;
    }
  }
}
