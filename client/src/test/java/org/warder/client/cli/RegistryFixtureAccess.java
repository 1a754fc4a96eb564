package org.warder.client.cli;

import java.nio.file.Path;
import org.warder.signing.Key;

/** Public access to {@link RegistryFixture} for tests in other packages. */
public final class RegistryFixtureAccess implements AutoCloseable {
  private final RegistryFixture fixture;

  public RegistryFixtureAccess(Path data) throws Exception {
    fixture = new RegistryFixture(data);
  }

  public String url() {
    return fixture.url();
  }

  public String rootSha256() {
    return fixture.init.rootSha256();
  }

  public void delegate(String role, Key key, String... paths) throws Exception {
    fixture.delegate(role, key, paths);
  }

  public String token(String publisher, String... roles) throws java.io.IOException {
    return fixture.token(publisher, roles);
  }

  @Override
  public void close() throws java.io.IOException {
    fixture.close();
  }
}
