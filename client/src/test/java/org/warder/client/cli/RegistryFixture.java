package org.warder.client.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.warder.registry.http.RegistryServer;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.storage.FileTokenStore;
import org.warder.registry.storage.RegistryLayout;
import org.warder.signing.Key;
import org.warder.signing.KeyFiles;

/** A real registry (initialised data directory, Jetty on a loopback port) for client tests. */
final class RegistryFixture implements AutoCloseable {
  static final char[] OFFLINE = "offline passphrase".toCharArray();
  final RegistryLayout layout;
  final RegistryRepository.Initialised init;
  final RegistryRepository repository;
  final RegistryServer server;
  final StringWriter serverErrors = new StringWriter();

  RegistryFixture(Path data) throws Exception {
    layout = new RegistryLayout(data);
    init = RegistryRepository.initialise(layout, OFFLINE, Clock.systemUTC());
    repository = RegistryRepository.open(layout, Clock.systemUTC());
    server =
        new RegistryServer(
            repository,
            RegistryServer.Settings.defaults(new InetSocketAddress("127.0.0.1", 0)),
            new PrintWriter(serverErrors, true));
    server.start();
  }

  String url() {
    return server.url().toString();
  }

  /** Delegates {@code role} for {@code paths} to {@code key}, signed with the targets key. */
  void delegate(String role, Key key, String... paths) throws Exception {
    repository.delegate(
        role, List.of(key), 1, List.of(paths), KeyFiles.read(layout.key("targets"), OFFLINE));
  }

  /** A publishing token for {@code roles}. */
  String token(String publisher, String... roles) throws IOException {
    return new FileTokenStore(layout, Clock.systemUTC()).create(publisher, List.of(roles)).secret();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
