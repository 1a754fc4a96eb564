package org.warder.client.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.Digests;
import org.warder.signing.Key;

/**
 * A real registry (initialised data directory, Jetty on a loopback port) for client tests: a copy
 * of the registry-server tests' {@link TestRegistry}, so that the registries of one JVM share their
 * keys.
 */
final class RegistryFixture implements AutoCloseable {
  final RegistryRepository.Initialised init;
  private final TestRegistry registry;

  RegistryFixture(Path data) throws Exception {
    registry = TestRegistry.at(data).start();
    Path rootFile = registry.layout.metadata().resolve("1.root.json");
    init = new RegistryRepository.Initialised(Digests.sha256Hex(rootFile), rootFile);
  }

  String url() {
    return registry.url().toString();
  }

  /** Delegates {@code role} for {@code paths} to {@code key}, signed with the targets key. */
  void delegate(String role, Key key, String... paths) throws Exception {
    registry.repository.delegate(role, List.of(key), 1, List.of(paths), TestRegistry.targetsKey());
  }

  /** A publishing token for {@code roles}. */
  String token(String publisher, String... roles) throws IOException {
    return registry.token(publisher, roles);
  }

  @Override
  public void close() throws IOException {
    registry.close();
  }
}
