package org.warder.client.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.warder.client.host.HostOs;
import org.warder.client.layout.HostLayout;
import org.warder.client.plugin.PluginCatalog;
import org.warder.client.plugin.PluginUpdater;
import org.warder.client.plugin.ResolvedPlugin;
import org.warder.client.release.ReleaseFetcher;
import org.warder.client.repo.RepoConfig;
import org.warder.client.repo.Repositories;
import org.warder.client.storage.Storage;
import org.warder.signing.tuf.Updater;

/** {@code plugin update} and {@code upgrade}: wires the updater to this host's registry and storage. */
final class PluginUpdateAction {
  private PluginUpdateAction() {}

  static int run(Context ctx, String name, Optional<String> repo, boolean upgrade) throws Exception {
    Repositories repos = ctx.repositories();
    RepoConfig config = repos.resolve(repo);
    Updater updater = repos.updater(config);
    PluginCatalog catalog = new PluginCatalog(updater, config.targetUrls(), ctx.layout.repoCache(config.name()));
    Storage storage = ctx.storage();
    ReleaseFetcher releases = new ReleaseFetcher(ctx.layout, storage, ctx.runner(), HostOs.current(), ctx.clock, ctx.out,
        ctx.progress());
    new PluginUpdater(ctx.layout, ctx.jails(), storage, ctx.runner(), ctx.clock, ctx.out).update(name, upgrade,
        new PluginUpdater.Sources() {
          @Override
          public ResolvedPlugin resolve(String plugin) throws Exception {
            return catalog.resolve(plugin);
          }

          @Override
          public Path bundle(ResolvedPlugin plugin) throws Exception {
            return catalog.bundle(plugin);
          }

          @Override
          public void ensureRelease(String release) throws Exception {
            if (!storage.exists(HostLayout.releaseName(release))) {
              releases.fromRegistry(release, HostOs.freebsdArch(), List.of(), config.name(), updater, config.targetUrls(), true);
            }
          }
        });
    return 0;
  }
}
