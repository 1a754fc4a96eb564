package org.warder.client.team;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.bundle.BundleForge;
import org.warder.client.cli.PublishingRegistry;
import org.warder.client.progress.ProgressListener;
import org.warder.client.publish.Destination;
import org.warder.client.publish.RegistryClient;
import org.warder.client.repo.RepoConfig;
import org.warder.client.repo.Repositories;
import org.warder.client.testing.HostileStreams;
import org.warder.client.testing.TestHost;
import org.warder.client.testing.ZfsPool;
import org.warder.index.BundleManifest.Format;

/**
 * A team template signed by the team's own key, whose root stream a hostile (or compromised)
 * publisher made with {@code zfs send -p} or {@code -R} of a dataset mounted on a host directory:
 * the signature is good, and the pull is still refused before {@code zfs receive} sees the stream;
 * the host directory stays as it was, nothing mounts outside the warder roots, and no dataset or
 * template is left behind.
 */
class HostilePullTest {
  @TempDir Path tmp;
  PublishingRegistry registry;

  @AfterEach
  void close() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void testPull_signedTemplateWithAPropertyStreamIsRefused() throws Exception {
    registry = new PublishingRegistry(tmp);
    registry.registry.delegate(
        TeamTargets.role("acme"),
        registry.generateKey("acme"),
        TeamTargets.delegatedPaths("acme").toArray(String[]::new));
    String token = registry.registry.token("acme", TeamTargets.role("acme"));
    Repositories repos = registry.repositories(registry.publisherRoot);
    RepoConfig main = repos.get("main");
    Destination destination =
        new Destination(
            repos.updater(main),
            main.targetUrls(),
            new RegistryClient(main.url(), token),
            registry.signingKey("acme"),
            ProgressListener.NONE);
    try (ZfsPool pool = ZfsPool.create(tmp, 256)) {
      HostileStreams streams = HostileStreams.make(pool, tmp.resolve("host-dir"));
      TestHost a = new TestHost(tmp.resolve("a"), registry.env);
      TestHost b = new TestHost(tmp.resolve("b"), registry.env);
      a.ok("activate", pool.name() + "/a");
      b.ok("activate", pool.name() + "/b");
      registry.addRepo(b.root());
      a.ok("create", "-e", "-n", "base");
      a.ok("set", "template=yes", "base");
      Path exported = tmp.resolve("base.tar");
      a.ok("export", "base", "-o", exported.toString(), "--compress", "none");
      int second = 0;
      for (byte[] stream : List.of(streams.properties(), streams.replication())) {
        String name = "evil" + second;
        BundleForge forge = BundleForge.read(exported);
        forge.members.put(forge.names().get(2), stream);
        Path bundle = tmp.resolve(name + ".tar");
        forge.rehash().write(bundle);
        new BundlePublisher(Clock.fixed(Instant.now().plusSeconds(++second), ZoneOffset.UTC))
            .publish(
                new BundleSpec(
                    BundleKind.TEMPLATE, "acme", name, "1", "EMPTY", Format.ZFS, Optional.empty()),
                bundle,
                destination);

        assertThat(b.refused("create", "-t", "main:acme/" + name, "-n", "web"))
            .contains(
                "member root.zfs is refused:"
                    + " expected a plain zfs send stream of one snapshot ('zfs send' or 'zfs send -i'), found a replication or"
                    + " property stream")
            .contains("nothing was imported");
        streams.assertHostDirUntouched();
        assertThat(pool.mountedOutside(List.of(a.root(), b.root()))).isEmpty();
        assertThat(pool.datasets().stream().filter(d -> d.startsWith(pool.name() + "/b/")))
            .allMatch(d -> d.equals(pool.name() + "/b/staging"));
        assertThat(b.ok("list", "-t", "-h").out()).doesNotContain("acme_" + name);
        assertThat(b.root().resolve("templates/acme_" + name)).doesNotExist();
      }
    }
  }
}
