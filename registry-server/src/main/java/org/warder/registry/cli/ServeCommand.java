package org.warder.registry.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.warder.registry.http.RegistryServer;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.storage.RegistryLayout;
import org.warder.signing.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code warder-registry serve}: the HTTP server, re-signing the timestamp while it runs. */
@Command(
    name = "serve",
    description = {
      "Serve the registry over HTTP until interrupted.",
      "On an empty data directory it first initialises a registry, keeping a generated passphrase"
          + " for the offline keys in keys/offline.passphrase (quick start only: move both offline)."
    })
final class ServeCommand implements Callable<Integer> {
  /** The timestamp is re-signed once less than this is left of its validity. */
  static final Duration TIMESTAMP_MARGIN = Duration.ofHours(18);

  @Mixin DataOption data;

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String listen;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    RegistryLayout layout = data.layout();
    PrintWriter out = spec.commandLine().getOut();
    Clock clock = Clock.systemUTC();
    if (!RegistryRepository.isInitialised(layout)) {
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      char[] passphrase = HexFormat.of().formatHex(random).toCharArray();
      java.nio.file.Files.createDirectories(layout.keys());
      AtomicFiles.write(layout.keys().resolve("offline.passphrase"),
          o -> o.write(new String(passphrase).getBytes(StandardCharsets.US_ASCII)), AtomicFiles.OWNER_ONLY, false);
      RegistryRepository.Initialised init = RegistryRepository.initialise(layout, passphrase, clock);
      InitCommand.report(out, layout, init);
      out.println("The offline keys' passphrase was generated into " + layout.keys().resolve("offline.passphrase"));
      out.println();
    }
    RegistryRepository repository = RegistryRepository.open(layout, clock);
    repository.refreshTimestamp(TIMESTAMP_MARGIN);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "timestamp-signer");
      t.setDaemon(true);
      return t;
    });
    PrintWriter err = spec.commandLine().getErr();
    timer.scheduleWithFixedDelay(() -> {
      try {
        synchronized (repository) {
          repository.refreshTimestamp(TIMESTAMP_MARGIN);
        }
      } catch (Exception e) {
        err.println("warder-registry: cannot re-sign the timestamp: " + e.getMessage());
      }
    }, 10, 10, TimeUnit.MINUTES);
    try (RegistryServer server = new RegistryServer(layout, parse(listen))) {
      server.start();
      out.println("warder-registry serving " + layout.data() + " at " + server.url());
      out.flush();
      server.join();
    } finally {
      timer.shutdownNow();
    }
    return 0;
  }

  static InetSocketAddress parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("expected --listen HOST:PORT, found " + hostPort);
    }
    String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
    return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
  }
}
