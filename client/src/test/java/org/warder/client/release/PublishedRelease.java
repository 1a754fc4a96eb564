package org.warder.client.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.warder.client.cli.RegistryFixtureAccess;
import org.warder.client.cli.WarderMain;
import org.warder.signing.testing.CliRun;
import org.warder.signing.tuf.PublicKeyFiles;

/**
 * A registry in-process with release {@link #REL} for amd64 published through the real client:
 * a publisher key made with {@code warder key generate}, delegated the {@code releases} role, a
 * token, and {@code warder publish release} of a {@link SyntheticRelease}.
 */
final class PublishedRelease implements AutoCloseable {
  static final String REL = "14.2-RELEASE";
  final RegistryFixtureAccess registry;
  final Map<String, String> env = new HashMap<>();
  final Path dist;

  PublishedRelease(Path tmp) throws Exception {
    registry = new RegistryFixtureAccess(tmp.resolve("registry"));
    Path pass = tmp.resolve("pass");
    Files.writeString(pass, "publisher passphrase\n");
    env.put("WARDER_KEYS", tmp.resolve("keys").toString());
    env.put("WARDER_PASSPHRASE_FILE", pass.toString());
    env.put("CI", "true");
    Path publisherRoot = tmp.resolve("publisher");
    CliRun key = warder(publisherRoot, "key", "generate", "--name", "rel");
    assertThat(key.exitCode()).as(key.err()).isZero();
    registry.delegate("releases", PublicKeyFiles.read(tmp.resolve("keys/rel.pub.json")), "releases/*/*/*");
    env.put("WARDER_TOKEN", registry.token("release-team", "releases"));
    dist = tmp.resolve("dist");
    SyntheticRelease.write(dist, true, 600);
    CliRun add = warder(publisherRoot, "repo", "add", "main", registry.url(), "--root-sha256", registry.rootSha256());
    assertThat(add.exitCode()).as(add.err()).isZero();
    CliRun published = warder(publisherRoot, "publish", "release", REL, dist.toString(), "--repo", "main", "--key", "rel",
        "--arch", "amd64");
    assertThat(published.exitCode()).as(published.err()).isZero();
    assertThat(published.out()).contains("published " + REL + "/amd64 as releases version 1");
  }

  /** Runs {@code warder --root root args...} in-process with this fixture's environment. */
  CliRun warder(Path root, String... args) {
    List<String> all = new ArrayList<>(List.of("--root", root.toString()));
    all.addAll(List.of(args));
    return CliRun.of((out, err, a) -> WarderMain.run(out, err, env, a), all.toArray(String[]::new));
  }

  @Override
  public void close() throws java.io.IOException {
    registry.close();
  }
}
