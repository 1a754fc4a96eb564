package org.warder.client.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.host.HostOs;
import org.warder.client.layout.HostLayout;
import org.warder.client.plugin.PluginCatalog;
import org.warder.client.plugin.PluginInstaller;
import org.warder.client.plugin.ResolvedPlugin;
import org.warder.client.progress.ConsoleReporter;
import org.warder.client.progress.ProgressFetcher;
import org.warder.client.progress.ProgressListener;
import org.warder.client.release.ReleaseFetcher;
import org.warder.client.release.Releases;
import org.warder.client.repo.RepoConfig;
import org.warder.client.repo.Repositories;
import org.warder.client.storage.Storage;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.TufException;
import org.warder.signing.tuf.Updater;

/**
 * Plugins, their artifacts and releases from one registry this host trusts, for {@code fetch -P}
 * and for {@code plugin update}/{@code upgrade}: everything verified through its TUF metadata.
 */
final class RegistryPluginSources implements PluginInstaller.Sources {
  private final Context ctx;
  private final RepoConfig config;
  private final Updater updater;
  private final PluginCatalog catalog;
  private final Storage storage;
  private final ReleaseFetcher releases;

  /** The sources of repository {@code repo} (default: the configured one, else the only one). */
  RegistryPluginSources(Context ctx, Optional<String> repo)
      throws ClientException, IOException, InterruptedException {
    // the release download reports its bytes: the fetcher under the updater tells the listener
    // that ReleaseFetcher's steps begin and end (without it: "base.txz: 0 B")
    ProgressListener progress = ctx.progress();
    Repositories repos =
        new Repositories(ctx.layout, new ProgressFetcher(ctx.fetcher(), progress), ctx.clock);
    this.ctx = ctx;
    this.config = repos.resolve(ctx.repository(repo));
    this.updater = repos.updater(config);
    this.catalog =
        new PluginCatalog(
            updater,
            config.targetUrls(),
            ctx.layout.repoCache(config.name()),
            new ConsoleReporter(ctx.err));
    this.storage = ctx.storage();
    this.releases =
        new ReleaseFetcher(
            ctx.layout,
            storage,
            ctx.runner(),
            HostOs.current(),
            ctx.clock,
            new ConsoleReporter(ctx.out),
            progress);
  }

  Storage storage() {
    return storage;
  }

  @Override
  public ResolvedPlugin resolve(String plugin) throws ClientException, IOException {
    try {
      return catalog.resolve(plugin);
    } catch (TufException e) {
      throw refused(e);
    }
  }

  @Override
  public void bundle(ResolvedPlugin plugin, OutputStream verified)
      throws ClientException, IOException {
    try {
      catalog.bundle(plugin, verified);
    } catch (TufException e) {
      throw refused(e);
    }
  }

  @Override
  public boolean hasRelease(String release) throws IOException, InterruptedException {
    return storage.exists(HostLayout.releaseName(release));
  }

  @Override
  public boolean ensureRelease(String release)
      throws ClientException, IOException, InterruptedException {
    if (hasRelease(release)) {
      return false;
    }
    try {
      releases.fromRegistry(
          release,
          HostOs.freebsdArch(),
          List.of(),
          config.name(),
          updater,
          config.targetUrls(),
          true);
    } catch (SigningException e) {
      throw refused(e);
    }
    return true;
  }

  @Override
  public void destroyRelease(String release)
      throws ClientException, IOException, InterruptedException {
    new Releases(ctx.layout, storage).destroy(release);
  }

  /** A verification failure of the registry's metadata or files, with its message. */
  private static ClientException refused(Exception e) {
    return new ClientException(ClientException.Reason.REFUSED, String.valueOf(e.getMessage()), e);
  }

  @Override
  public String origin() {
    return config.name() + " " + config.url();
  }
}
