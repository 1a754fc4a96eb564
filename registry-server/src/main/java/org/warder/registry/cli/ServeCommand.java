package org.warder.registry.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.eclipse.jetty.server.RequestLogWriter;
import org.warder.registry.config.StorageConfig;
import org.warder.registry.http.RegistryServer;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.shared.SharedState;
import org.warder.registry.storage.RegistryLayout;
import org.warder.registry.storage.RegistryStore;
import org.warder.signing.AtomicFiles;
import org.warder.signing.PrivateFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code warder-registry serve}: the HTTP server, re-signing timestamp and snapshot while it runs.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Serve the registry over HTTP until stopped (SIGTERM or Ctrl-C stop it gracefully).",
      "On an empty data directory it first initialises a registry, keeping a generated passphrase"
          + " for the offline keys in keys/offline.passphrase (quick start only: move both offline).",
      "While it runs it re-signs the timestamp and snapshot before they expire and purges upload"
          + " sessions untouched for --upload-max-age. With --database-url, any number of nodes"
          + " serve one registry: they share tokens, the writer lock and the signer lease (only its"
          + " holder signs; it moves within 10 s when its holder dies). Prometheus metrics are served only on"
          + " --metrics-listen, never on --listen."
    })
final class ServeCommand implements Callable<Integer> {
  @Mixin DataOption data;
  @Mixin DatabaseOption database;

  @Mixin ConfigOption config;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:8080",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--metrics-listen",
      paramLabel = "HOST:PORT",
      description =
          "Serve /metrics (Prometheus) on this address only, e.g. 127.0.0.1:9100; without it, no metrics"
              + " are served. Keep it off the public network: the metrics are not authenticated.")
  Optional<String> metricsListen = Optional.empty();

  @Option(
      names = "--access-log",
      paramLabel = "FILE",
      description =
          "Append the access log (NCSA extended format) to FILE instead of standard output.")
  Optional<Path> accessLog = Optional.empty();

  @Option(names = "--no-access-log", description = "Write no access log.")
  boolean noAccessLog;

  @Option(
      names = "--max-blob-size",
      paramLabel = "SIZE",
      defaultValue = "64G",
      description =
          "Largest blob an upload may make: bytes, or with K, M, G, T (binary) (default: ${DEFAULT-VALUE}).")
  String maxBlobSize;

  @Option(
      names = "--upload-max-age",
      paramLabel = "DURATION",
      defaultValue = "24h",
      description =
          "Purge upload sessions untouched this long: N followed by s, m, h or d (default: ${DEFAULT-VALUE}).")
  String uploadMaxAge;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    RegistryLayout layout = data.layout();
    StorageConfig storage = config.storage();
    RegistryStore store = storage.open(layout);
    PrintWriter out = spec.commandLine().getOut();
    Clock clock = Clock.systemUTC();
    InetSocketAddress address = parse("--listen", listen);
    RegistryServer.Settings settings =
        RegistryServer.Settings.defaults(address)
            .withMaxBlobSize(parseSize(maxBlobSize))
            .withUploadMaxAge(parseDuration(uploadMaxAge))
            .withClock(clock);
    if (metricsListen.isPresent()) {
      InetSocketAddress metrics = parse("--metrics-listen", metricsListen.get());
      if (metrics.equals(address) && metrics.getPort() != 0) {
        throw new ParameterException(
            spec.commandLine(),
            "expected --metrics-listen to differ from --listen, found both " + listen);
      }
      settings = settings.withMetricsListen(metrics);
    }
    if (!noAccessLog) {
      if (accessLog.isPresent()) {
        Path log = accessLog.get().toAbsolutePath();
        PrivateFiles.createFileIfAbsent(log); // client addresses and paths: the owner's only
        RequestLogWriter writer = new RequestLogWriter(log.toString());
        writer.setAppend(true);
        settings = settings.withAccessLog(writer);
      } else {
        settings =
            settings.withAccessLog(
                line -> {
                  synchronized (out) {
                    out.println(line);
                    out.flush();
                  }
                });
      }
    }
    if (!RegistryRepository.isInitialised(store)) {
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      char[] passphrase = HexFormat.of().formatHex(random).toCharArray();
      PrivateFiles.createDirectories(layout.keys());
      AtomicFiles.write(
          layout.keys().resolve("offline.passphrase"),
          o -> o.write(new String(passphrase).getBytes(StandardCharsets.US_ASCII)),
          AtomicFiles.OWNER_ONLY,
          false);
      RegistryRepository.Initialised init =
          RegistryRepository.initialise(layout, store, passphrase, clock);
      InitCommand.report(out, layout, init);
      out.println(
          "The offline keys' passphrase was generated into "
              + layout.keys().resolve("offline.passphrase"));
      out.println();
    }
    try (SharedState state =
            database.sharedState(layout, clock, spec.commandLine().getErr(), config.database());
        RegistryServer server =
            new RegistryServer(
                RegistryRepository.open(
                    layout, store, clock, state.coordination(), config.onlineSecret()),
                state.tokens(),
                settings,
                storage.publicBaseUrl(),
                spec.commandLine().getErr())) {
      start(server, settings);
      out.println("warder-registry serving " + store.describe() + " at " + server.url());
      server.metricsUrl().ifPresent(url -> out.println("warder-registry metrics at " + url));
      out.flush();
      server.join();
    }
    return 0;
  }

  /**
   * Starts {@code server}; a port it cannot bind is named with its option, why (in use, not
   * permitted) and what to do.
   */
  private static void start(RegistryServer server, RegistryServer.Settings settings)
      throws Exception {
    try {
      server.start();
    } catch (IOException e) {
      Optional<BindException> bind = bindFailure(e);
      if (bind.isEmpty()) {
        throw e;
      }
      String option = "--listen";
      InetSocketAddress address = settings.listen();
      Optional<InetSocketAddress> metrics = settings.metricsListen();
      if (metrics.isPresent()
          && String.valueOf(e.getMessage()).endsWith(":" + metrics.get().getPort())) {
        option = "--metrics-listen";
        address = metrics.get();
      }
      String where = address.getHostString() + ":" + address.getPort();
      String why = String.valueOf(bind.get().getMessage());
      throw new IOException(
          "cannot listen on "
              + where
              + " ("
              + option
              + "): "
              + (why.contains("in use")
                  ? "the address is in use, by another warder-registry or another server; stop"
                      + " it (find it with 'sockstat -4l' on FreeBSD, 'ss -ltnp' on Linux) or"
                      + " choose a free port with "
                      + option
                      + " HOST:PORT"
                  : why
                      + "; choose another address with "
                      + option
                      + " HOST:PORT"
                      + " (ports below 1024 need root)"),
          e);
    }
  }

  private static Optional<BindException> bindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException b) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }

  InetSocketAddress parse(String option, String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try {
      if (colon < 0) {
        throw new NumberFormatException();
      }
      String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
      return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "expected " + option + " HOST:PORT, found " + hostPort);
    }
  }

  long parseSize(String text) {
    return Quantities.size(spec, "--max-blob-size", text);
  }

  Duration parseDuration(String text) {
    return Quantities.duration(spec, "--upload-max-age", text);
  }
}
