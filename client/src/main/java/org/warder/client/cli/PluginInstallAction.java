package org.warder.client.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.warder.client.freebsd.PkgRepos;
import org.warder.client.host.HostOs;
import org.warder.client.jail.Jails;
import org.warder.client.layout.HostLayout;
import org.warder.client.plugin.PlanRunner;
import org.warder.client.plugin.PluginCatalog;
import org.warder.client.plugin.PluginInstaller;
import org.warder.client.plugin.PluginPlan;
import org.warder.client.plugin.ResolvedPlugin;
import org.warder.client.release.ReleaseFetcher;
import org.warder.client.release.Releases;
import org.warder.client.repo.RepoConfig;
import org.warder.client.repo.Repositories;
import org.warder.client.storage.HostSettings;
import org.warder.client.storage.Storage;
import org.warder.signing.tuf.Updater;

/** {@code fetch -P} and {@code plugin install}: wires the installer to this host's registry and storage. */
final class PluginInstallAction {
  private PluginInstallAction() {}

  /** The options both spellings share. */
  record Options(String plugin, Optional<String> repo, Optional<String> name, boolean keep, boolean dryRun,
      boolean disableFreeBsdRepo, List<String> properties) {}

  static int run(Context ctx, Options o) throws Exception {
    Repositories repos = ctx.repositories();
    RepoConfig config = repos.resolve(o.repo());
    Updater updater = repos.updater(config);
    PluginCatalog catalog = new PluginCatalog(updater, config.targetUrls(), ctx.layout.repoCache(config.name()));
    PkgRepos.FreeBsdRepo policy = o.disableFreeBsdRepo() ? PkgRepos.FreeBsdRepo.DISABLE : PkgRepos.FreeBsdRepo.KEEP_ENABLED;
    Storage storage = ctx.storage();
    if (o.dryRun()) {
      ResolvedPlugin plugin = catalog.resolve(o.plugin());
      boolean freebsd = ctx.runtime().kind().equals("jail");
      PlanRunner plan = new PlanRunner();
      Storage planned = HostSettings.load(ctx.layout).open(ctx.layout, plan);
      String jail = o.name().orElse(plugin.id().replaceAll("[^A-Za-z0-9_-]", "-"));
      ctx.out.println("Plan for plugin " + plugin.qualifiedId() + " revision " + plugin.manifest().revision() + " into jail "
          + jail + " (" + (freebsd ? "FreeBSD jail(8)" : "Linux sandbox") + ", " + planned.kind() + " storage):");
      boolean present = storage.exists(HostLayout.releaseName(plugin.manifest().release()));
      List<String> lines = PluginPlan.plan(plugin, jail, o.properties(), freebsd, ctx.layout, planned, plan, present, policy);
      for (int i = 0; i < lines.size(); i++) {
        ctx.out.println(String.format("%3d  %s", i + 1, lines.get(i).replace("\n", "\n       ")));
      }
      ctx.out.println("(--dry-run: nothing was run or written)");
      return 0;
    }
    Jails jails = ctx.jails();
    ReleaseFetcher releases = new ReleaseFetcher(ctx.layout, storage, ctx.runner(), HostOs.current(), ctx.clock, ctx.out,
        ctx.progress());
    PluginInstaller installer = new PluginInstaller(ctx.layout, jails, ctx.runner(), HostOs.current(), ctx.clock, ctx.out);
    installer.install(new PluginInstaller.Request(o.plugin(), o.name(), o.properties(), o.keep(), policy),
        new PluginInstaller.Sources() {
          @Override
          public ResolvedPlugin resolve(String plugin) throws Exception {
            return catalog.resolve(plugin);
          }

          @Override
          public Path bundle(ResolvedPlugin plugin) throws Exception {
            return catalog.bundle(plugin);
          }

          @Override
          public boolean ensureRelease(String release) throws Exception {
            if (storage.exists(HostLayout.releaseName(release))) {
              return false;
            }
            releases.fromRegistry(release, HostOs.freebsdArch(), List.of(), config.name(), updater, config.targetUrls(), true);
            return true;
          }

          @Override
          public void destroyRelease(String release) throws Exception {
            new Releases(ctx.layout, storage).destroy(release);
          }

          @Override
          public Path cache() {
            return ctx.layout.repoCache(config.name());
          }

          @Override
          public String origin() {
            return config.name() + " " + config.url();
          }
        });
    return 0;
  }
}
