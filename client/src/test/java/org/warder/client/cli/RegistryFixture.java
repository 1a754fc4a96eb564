package org.warder.client.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import org.warder.registry.http.RegistryServer;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.storage.RegistryLayout;

/** A real registry (initialised data directory, Jetty on a loopback port) for client tests. */
final class RegistryFixture implements AutoCloseable {
  final RegistryLayout layout;
  final RegistryRepository.Initialised init;
  final RegistryServer server;

  RegistryFixture(Path data) throws Exception {
    layout = new RegistryLayout(data);
    init = RegistryRepository.initialise(layout, "offline passphrase".toCharArray(), Clock.systemUTC());
    server = new RegistryServer(layout, new InetSocketAddress("127.0.0.1", 0));
    server.start();
  }

  String url() {
    return server.url().toString();
  }

  @Override
  public void close() throws java.io.IOException {
    server.close();
  }
}
