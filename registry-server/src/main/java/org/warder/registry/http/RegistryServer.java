package org.warder.registry.http;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.ResourceService;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.MinimumDataRateHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.warder.registry.catalogue.CatalogueReader;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.repo.RoleExpiry;
import org.warder.registry.storage.BlobStore;
import org.warder.registry.storage.FileTokenStore;
import org.warder.registry.storage.FileUploadSessions;
import org.warder.registry.storage.ReferencedBlobs;
import org.warder.registry.storage.RegistryLayout;
import org.warder.registry.storage.TokenStore;
import org.warder.registry.storage.UploadSessions;
import org.warder.signing.SigningException;

/**
 * The registry's HTTP server (embedded Jetty 12): TUF metadata and content-addressed targets with
 * ETag, Range and conditional requests; the publishing API; {@code /healthz}; the catalogue page at
 * {@code /}; {@code /metrics} on its own listener only; an NCSA access log. Neither headers nor
 * error pages name the server. Slow or greedy clients are bounded by the {@link Limits}: reads hold
 * no thread while they wait on a client, and API requests, which do while they read a body, get a
 * bounded share of them. While it runs it re-signs the timestamp (and the snapshot) before they
 * expire and purges stale upload sessions. Stopping lets running requests finish (up to the stop
 * timeout). Thread-safe.
 */
public final class RegistryServer implements AutoCloseable {
  /** The timestamp is re-signed once less than this is left of its validity. */
  public static final Duration TIMESTAMP_MARGIN = Duration.ofHours(18);

  /** The snapshot is re-signed once less than this is left of its validity. */
  public static final Duration SNAPSHOT_MARGIN = Duration.ofDays(3);

  /**
   * How the server runs.
   *
   * @param metricsListen where {@code /metrics} is served; empty: nowhere (never on {@code listen})
   * @param maxBlobSize the largest blob an upload may make, in bytes
   * @param uploadMaxAge upload sessions untouched this long are purged
   * @param maintenanceInterval how often expiring metadata is re-signed and stale uploads purged
   * @param accessLog where access log lines go; empty for none
   * @param limits what keeps slow or greedy clients from holding the server
   */
  public record Settings(
      InetSocketAddress listen,
      Optional<InetSocketAddress> metricsListen,
      long maxBlobSize,
      Duration uploadMaxAge,
      Duration maintenanceInterval,
      Optional<RequestLog.Writer> accessLog,
      Duration stopTimeout,
      Limits limits,
      Clock clock) {

    /**
     * Defaults: no metrics listener, 64 GiB blobs, sessions purged after a day, maintenance every
     * 10 minutes, no access log, {@link Limits#defaults}.
     */
    public static Settings defaults(InetSocketAddress listen) {
      return new Settings(
          listen,
          Optional.empty(),
          64L << 30,
          Duration.ofHours(24),
          Duration.ofMinutes(10),
          Optional.empty(),
          Duration.ofSeconds(10),
          Limits.defaults(),
          Clock.systemUTC());
    }

    public Settings withMetricsListen(InetSocketAddress address) {
      return new Settings(
          listen,
          Optional.of(address),
          maxBlobSize,
          uploadMaxAge,
          maintenanceInterval,
          accessLog,
          stopTimeout,
          limits,
          clock);
    }

    public Settings withMaxBlobSize(long bytes) {
      return new Settings(
          listen,
          metricsListen,
          bytes,
          uploadMaxAge,
          maintenanceInterval,
          accessLog,
          stopTimeout,
          limits,
          clock);
    }

    public Settings withUploadMaxAge(Duration age) {
      return new Settings(
          listen,
          metricsListen,
          maxBlobSize,
          age,
          maintenanceInterval,
          accessLog,
          stopTimeout,
          limits,
          clock);
    }

    public Settings withMaintenanceInterval(Duration interval) {
      return new Settings(
          listen,
          metricsListen,
          maxBlobSize,
          uploadMaxAge,
          interval,
          accessLog,
          stopTimeout,
          limits,
          clock);
    }

    public Settings withAccessLog(RequestLog.Writer writer) {
      return new Settings(
          listen,
          metricsListen,
          maxBlobSize,
          uploadMaxAge,
          maintenanceInterval,
          Optional.of(writer),
          stopTimeout,
          limits,
          clock);
    }

    public Settings withStopTimeout(Duration timeout) {
      return new Settings(
          listen,
          metricsListen,
          maxBlobSize,
          uploadMaxAge,
          maintenanceInterval,
          accessLog,
          timeout,
          limits,
          clock);
    }

    public Settings withLimits(Limits l) {
      return new Settings(
          listen,
          metricsListen,
          maxBlobSize,
          uploadMaxAge,
          maintenanceInterval,
          accessLog,
          stopTimeout,
          l,
          clock);
    }

    public Settings withClock(Clock c) {
      return new Settings(
          listen,
          metricsListen,
          maxBlobSize,
          uploadMaxAge,
          maintenanceInterval,
          accessLog,
          stopTimeout,
          limits,
          c);
    }
  }

  /**
   * What keeps slow or greedy clients from holding the server. Reads never read a body and are
   * written without holding a thread, so only API requests are bounded beyond the idle timeout.
   *
   * @param threads request threads, for reads and API requests together
   * @param apiRequests API requests served at once; more are refused ({@code 503 BUSY}) before
   *     their body is read. At most half of {@code threads}, so that reads always have threads
   * @param apiRequestsPerToken API requests served at once with one token
   * @param idleTimeout a connection with nothing sent either way this long is closed, and a request
   *     body pausing this long is refused ({@code 408 TOO_SLOW})
   * @param apiDeadline an API request still running this long loses its connection
   * @param minApiDataRate an API request body coming slower than this many bytes per second, on
   *     average since it started, is refused ({@code 408 TOO_SLOW})
   */
  public record Limits(
      int threads,
      int apiRequests,
      int apiRequestsPerToken,
      Duration idleTimeout,
      Duration apiDeadline,
      long minApiDataRate) {
    public Limits {
      if (apiRequests < 1 || apiRequestsPerToken < 1 || apiRequests > threads / 2) {
        throw new IllegalArgumentException(
            "expected 1 <= API requests ("
                + apiRequests
                + ") <= half the threads ("
                + threads
                + ") and at least 1 per token ("
                + apiRequestsPerToken
                + ")");
      }
      if (idleTimeout.isNegative()
          || idleTimeout.isZero()
          || apiDeadline.isNegative()
          || apiDeadline.isZero()
          || minApiDataRate < 1) {
        throw new IllegalArgumentException(
            "expected a positive idle timeout, API deadline and minimum data rate, found "
                + idleTimeout
                + ", "
                + apiDeadline
                + ", "
                + minApiDataRate);
      }
    }

    /**
     * 200 threads; 32 API requests at once, 8 per token; 30 s idle timeout; 10 minutes per API
     * request; API bodies at 1 KiB/s at least.
     */
    public static Limits defaults() {
      return new Limits(200, 32, 8, Duration.ofSeconds(30), Duration.ofMinutes(10), 1024);
    }
  }

  private final Server server;
  private final ServerConnector connector;
  private final Optional<ServerConnector> metricsConnector;
  private final RegistryRepository repository;
  private final UploadSessions uploads;
  private final Metrics metrics = new Metrics();
  private final Settings settings;
  private final PrintWriter err;
  private ScheduledExecutorService maintenance;

  /** A server of a registry that runs as one process: tokens in the data directory. */
  public RegistryServer(RegistryRepository repository, Settings settings, PrintWriter err) {
    this(
        repository,
        new FileTokenStore(repository.layout(), settings.clock()),
        settings,
        Optional.empty(),
        err);
  }

  /** A server authenticating publishers with {@code tokens}. */
  public RegistryServer(
      RegistryRepository repository, TokenStore tokens, Settings settings, PrintWriter err) {
    this(repository, tokens, settings, Optional.empty(), err);
  }

  /**
   * A server authenticating publishers with {@code tokens}, redirecting reads of immutable targets
   * and versioned metadata to {@code publicBase} when given (a CDN or public bucket endpoint that
   * holds the store's keys).
   */
  public RegistryServer(
      RegistryRepository repository,
      TokenStore tokens,
      Settings settings,
      Optional<URI> publicBase,
      PrintWriter err) {
    this(repository, tokens, FileUploadSessions.FACTORY, settings, publicBase, err);
  }

  /**
   * {@link #RegistryServer(RegistryRepository, TokenStore, Settings, Optional, PrintWriter)} with
   * upload sessions built by {@code sessions} (shared by every node when they are in a database).
   */
  public RegistryServer(
      RegistryRepository repository,
      TokenStore tokens,
      UploadSessions.Factory sessions,
      Settings settings,
      Optional<URI> publicBase,
      PrintWriter err) {
    this.repository = repository;
    this.settings = settings;
    this.err = err;
    RegistryLayout layout = repository.layout();
    BlobStore blobs = new BlobStore(repository.store());
    ReferencedBlobs referenced = new ReferencedBlobs(repository.store());
    this.uploads =
        sessions.create(
            layout, repository.store(), referenced, settings.clock(), settings.maxBlobSize());

    Limits limits = settings.limits();
    QueuedThreadPool threads = new QueuedThreadPool(limits.threads());
    threads.setName("registry");
    server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    // No "Server: Jetty(12...)" header, no version in error pages: nothing to fingerprint.
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    // Blobs go from the page cache to the socket with sendfile (FileRegions), not through buffers.
    connector =
        new FileRegions.Connector(server, selectors(limits), new HttpConnectionFactory(http));
    connector.setHost(settings.listen().getHostString());
    connector.setPort(settings.listen().getPort());
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    server.addConnector(connector);
    metricsConnector =
        settings
            .metricsListen()
            .map(
                address -> {
                  ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
                  c.setHost(address.getHostString());
                  c.setPort(address.getPort());
                  c.setIdleTimeout(limits.idleTimeout().toMillis());
                  server.addConnector(c);
                  return c;
                });
    server.setErrorHandler(new PlainErrors());
    ResourceService files = new ResourceService();
    files.setHttpContentFactory(
        new ContentFactory(repository.store(), ResourceFactory.of(server), referenced));
    files.setAcceptRanges(true);
    files.setEtags(true);
    files.setDirAllowed(false);
    server.addBean(files);
    ApiHandler api =
        new ApiHandler(repository, uploads, blobs, tokens, metrics, settings.clock(), limits);
    // Reads of API bodies fail once their average rate since the first read falls below the
    // minimum.
    Handler slowApiBodies = new MinimumDataRateHandler(api, limits.minApiDataRate(), 0);
    server.setHandler(
        new GracefulHandler(
            new RootHandler(
                slowApiBodies,
                new FilesHandler(
                    files,
                    new StoreReads(repository.store(), referenced, publicBase),
                    new CatalogueCache(repository, new CatalogueReader(blobs)),
                    err),
                this,
                metricsConnector)));
    RequestLog counting = metrics.requestLog();
    if (settings.accessLog().isPresent()) {
      CustomRequestLog access =
          new CustomRequestLog(settings.accessLog().get(), CustomRequestLog.EXTENDED_NCSA_FORMAT);
      server.addBean(access); // started and stopped with the server
      server.setRequestLog(new RequestLog.Collection(counting, access));
    } else {
      server.setRequestLog(counting);
    }
    server.setStopTimeout(settings.stopTimeout().toMillis());
    // Once stopping, idle keep-alive connections are closed after a tenth of the stop timeout
    // (at most Jetty's default second); requests in progress get the whole stop timeout.
    long shutdownIdle = Math.max(1, Math.min(1000, settings.stopTimeout().toMillis() / 10));
    connector.setShutdownIdleTimeout(shutdownIdle);
    metricsConnector.ifPresent(c -> c.setShutdownIdleTimeout(shutdownIdle));
    server.setStopAtShutdown(true);
  }

  /**
   * Tidies what a crash may have left (temporary files, stale or broken upload sessions), starts
   * serving and schedules the maintenance, whose first round (re-signing what expires soon) runs at
   * once: what is stored is served while it is re-signed, and a re-sign that fails (a full disk,
   * the store unreachable) is logged and tried again at the next round. A node that takes the
   * signer lease from another runs that re-sign at once too.
   */
  public void start() throws Exception {
    repository.removeTemporaryFiles();
    uploads.purge(settings.uploadMaxAge());
    server.start();
    maintenance =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "registry-maintenance");
              t.setDaemon(true);
              return t;
            });
    long every = settings.maintenanceInterval().toMillis();
    Future<?> unused =
        maintenance.scheduleWithFixedDelay(this::maintain, 0, every, TimeUnit.MILLISECONDS);
    ScheduledExecutorService rounds = maintenance;
    repository.whenSigner(
        () -> {
          try {
            rounds.execute(this::resign);
          } catch (RejectedExecutionException e) {
            // stopping: the next signer re-signs
          }
        });
  }

  /** One round of maintenance: re-sign what expires soon, purge stale uploads. Never throws. */
  void maintain() {
    resign();
    try {
      uploads.purge(settings.uploadMaxAge());
    } catch (Exception e) {
      err.println("warder-registry: cannot purge stale uploads: " + e.getMessage());
      err.flush();
    }
  }

  /** Re-signs what expires soon, when this node signs; logs what fails. Never throws. */
  private void resign() {
    try {
      repository.refresh(TIMESTAMP_MARGIN, SNAPSHOT_MARGIN);
    } catch (Exception e) {
      err.println("warder-registry: cannot re-sign the timestamp: " + e.getMessage());
      err.flush();
    }
  }

  /**
   * One selector thread per core, as nginx runs a worker per core: blob writes complete on them and
   * each sendfile call runs the socket's send path in its thread (16 concurrent downloads on 2
   * cores: bench/README.md). At most a quarter of the request threads.
   */
  private static int selectors(Limits limits) {
    return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), limits.threads() / 4));
  }

  /** How many selector threads the connector runs (for tests). */
  int selectorThreads() {
    return connector.getSelectorManager().getSelectorCount();
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The base URL clients use. */
  public URI url() {
    return url(connector);
  }

  /** The URL of {@code /metrics}, when a metrics listener is configured. */
  public Optional<URI> metricsUrl() {
    return metricsConnector.map(c -> url(c).resolve("metrics"));
  }

  private static URI url(ServerConnector c) {
    String host = c.getHost() == null ? "127.0.0.1" : c.getHost();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + c.getLocalPort() + "/");
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  /** Stops accepting connections and lets running requests finish (up to the stop timeout). */
  @Override
  public void close() throws IOException {
    if (maintenance != null) {
      maintenance.shutdownNow();
    }
    try {
      server.stop();
    } catch (Exception e) {
      throw new IOException("cannot stop the HTTP server: " + e.getMessage(), e);
    }
  }

  private String renderMetrics() {
    Optional<RegistryRepository.Status> status;
    try {
      status = Optional.of(repository.status());
    } catch (Exception e) {
      status = Optional.empty();
    }
    List<RoleExpiry> roles;
    try {
      roles = RegistryRepository.expiries(repository.store());
    } catch (Exception e) {
      roles = List.of();
    }
    return metrics.render(status, roles, settings.clock());
  }

  /**
   * Sends {@code /api/} to the API and the rest to the files; on the metrics listener, serves
   * {@code /metrics} and nothing else.
   */
  private static final class RootHandler extends Handler.Abstract {
    private final Handler api;
    private final FilesHandler files;
    private final RegistryServer owner;
    private final Optional<ServerConnector> metricsConnector;

    RootHandler(
        Handler api,
        FilesHandler files,
        RegistryServer owner,
        Optional<ServerConnector> metricsConnector) {
      super(InvocationType.BLOCKING);
      addBean(api); // started and stopped with this handler
      this.api = api;
      this.files = files;
      this.owner = owner;
      this.metricsConnector = metricsConnector;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String path = Request.getPathInContext(request);
      if (metricsConnector.isPresent()
          && request.getConnectionMetaData().getConnector() == metricsConnector.get()) {
        if (!path.equals("/metrics")
            || !(HttpMethod.GET.is(request.getMethod())
                || HttpMethod.HEAD.is(request.getMethod()))) {
          Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
          return true;
        }
        response
            .getHeaders()
            .put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, StandardCharsets.UTF_8.encode(owner.renderMetrics()), callback);
        return true;
      }
      if (path.startsWith(ApiHandler.PREFIX) || path.equals("/api/v1")) {
        return api.handle(request, response, callback);
      }
      return files.handle(request, response, callback);
    }
  }

  /**
   * Error pages as one plain line such as {@code 404 Not Found}: no server name or version, no
   * stack, nothing of the request echoed. (API errors are JSON, written by {@link ApiResponses}.)
   */
  private static final class PlainErrors extends ErrorHandler {
    @Override
    protected void generateResponse(
        Request request,
        Response response,
        int code,
        String message,
        Throwable cause,
        Callback callback) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      response.write(
          true,
          StandardCharsets.UTF_8.encode(code + " " + HttpStatus.getMessage(code) + "\n"),
          callback);
    }
  }

  /** Serves GET and HEAD of metadata and targets, the health check and the catalogue page. */
  private static final class FilesHandler extends Handler.Abstract {
    private final ResourceService files;
    private final StoreReads reads;
    private final CatalogueCache catalogue;
    private final PrintWriter err;

    FilesHandler(
        ResourceService files, StoreReads reads, CatalogueCache catalogue, PrintWriter err) {
      this.files = files;
      this.reads = reads;
      this.catalogue = catalogue;
      this.err = err;
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
      if (path.equals("/")) {
        byte[] page;
        try {
          page = catalogue.page();
        } catch (IOException | SigningException e) {
          err.println("warder-registry: cannot build the catalogue page: " + e.getMessage());
          err.flush();
          Response.writeError(request, response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500);
          return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        // a page of publishers' text: nothing in it may run, load or be framed
        response
            .getHeaders()
            .put(
                "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; img-src http: https:;"
                    + " frame-ancestors 'none'");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.write(true, java.nio.ByteBuffer.wrap(page), callback);
        return true;
      }
      if (reads.handle(path, request, response, callback)) {
        return true;
      }
      HttpContent content = files.getContent(path, request);
      if (content == null) {
        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
        return true;
      }
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, StoreReads.cacheControl(path));
      files.doGet(request, response, callback, content);
      return true;
    }
  }
}
