package org.warder.client.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.warder.client.cli.PublishingRegistry;
import org.warder.client.cli.RegistryFixtureAccess;
import org.warder.signing.testing.CliRun;

/**
 * A {@link PublishingRegistry} with release {@link #REL} for amd64 published through the real
 * client: a publisher key made with {@code warder key generate}, delegated the {@code releases}
 * role, a token, and {@code warder publish release} of a {@link SyntheticRelease}.
 */
final class PublishedRelease implements AutoCloseable {
  static final String REL = "14.2-RELEASE";
  private final PublishingRegistry publishing;
  final RegistryFixtureAccess registry;
  final Map<String, String> env;
  final Path dist;

  PublishedRelease(Path tmp) throws Exception {
    this(tmp, Map.of());
  }

  /** A release whose base has {@code files} (path → content) besides the usual ones. */
  PublishedRelease(Path tmp, Map<String, byte[]> files) throws Exception {
    publishing = new PublishingRegistry(tmp);
    registry = publishing.registry;
    env = publishing.env;
    registry.delegate("releases", publishing.generateKey("rel"), "releases/*/*/*");
    publishing.useToken("release-team", "releases");
    dist = tmp.resolve("dist");
    SyntheticRelease.write(dist, true, 600, Map.of(), files);
    CliRun published =
        warder(
            publishing.publisherRoot,
            "publish",
            "release",
            REL,
            dist.toString(),
            "--repo",
            "main",
            "--key",
            "rel",
            "--arch",
            "amd64");
    assertThat(published.exitCode()).as(published.err()).isZero();
    assertThat(published.out()).contains("published " + REL + "/amd64 as releases version 1");
  }

  /** Runs {@code warder --root root args...} in-process with this fixture's environment. */
  CliRun warder(Path root, String... args) {
    return publishing.warder(root, args);
  }

  /** A fresh updater of the publisher host. */
  org.warder.signing.tuf.Updater updater() throws Exception {
    return publishing.updater(publishing.publisherRoot);
  }

  /** The published version of {@code role}, as a fresh updater of the publisher host sees it. */
  java.util.OptionalLong roleVersion(String role) throws Exception {
    return publishing.roleVersion(role);
  }

  @Override
  public void close() throws java.io.IOException {
    publishing.close();
  }
}
