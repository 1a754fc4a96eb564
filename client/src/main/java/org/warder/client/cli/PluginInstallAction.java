package org.warder.client.cli;

import java.util.List;
import java.util.Optional;
import org.warder.client.freebsd.PkgRepos;
import org.warder.client.host.HostOs;
import org.warder.client.layout.HostLayout;
import org.warder.client.plugin.PlanRunner;
import org.warder.client.plugin.PluginAllowances;
import org.warder.client.plugin.PluginInstaller;
import org.warder.client.plugin.PluginPlan;
import org.warder.client.plugin.ResolvedPlugin;
import org.warder.client.storage.HostSettings;
import org.warder.client.storage.Storage;

/**
 * {@code fetch -P} and {@code plugin install}: wires the installer to this host's registry and
 * storage.
 */
final class PluginInstallAction {
  private PluginInstallAction() {}

  /** The options both spellings share. */
  record Options(
      String plugin,
      Optional<String> repo,
      Optional<String> name,
      boolean keep,
      boolean dryRun,
      boolean disableFreeBsdRepo,
      List<String> properties,
      PluginAllowances allowances) {}

  static int run(Context ctx, Options o) throws Exception {
    RegistryPluginSources sources = new RegistryPluginSources(ctx, o.repo());
    PkgRepos.FreeBsdRepo policy =
        o.disableFreeBsdRepo() ? PkgRepos.FreeBsdRepo.DISABLE : PkgRepos.FreeBsdRepo.KEEP_ENABLED;
    Storage storage = sources.storage();
    if (o.dryRun()) {
      ResolvedPlugin plugin = sources.resolve(o.plugin());
      boolean freebsd = ctx.runtime().kind().equals("jail");
      PlanRunner plan = new PlanRunner();
      Storage planned = HostSettings.load(ctx.layout).open(ctx.layout, plan);
      String jail = o.name().orElse(plugin.id().replaceAll("[^A-Za-z0-9_-]", "-"));
      ctx.out.println(
          "Plan for plugin "
              + plugin.qualifiedId()
              + " revision "
              + plugin.manifest().revision()
              + " into jail "
              + jail
              + " ("
              + (freebsd ? "FreeBSD jail(8)" : "Linux sandbox")
              + ", "
              + planned.kind()
              + " storage):");
      boolean present = storage.exists(HostLayout.releaseName(plugin.manifest().release()));
      List<String> lines =
          PluginPlan.plan(
              plugin,
              jail,
              o.properties(),
              freebsd,
              ctx.layout,
              planned,
              plan,
              present,
              policy,
              o.allowances());
      for (int i = 0; i < lines.size(); i++) {
        ctx.out.println(String.format("%3d  %s", i + 1, lines.get(i).replace("\n", "\n       ")));
      }
      ctx.out.println("(--dry-run: nothing was run or written)");
      return 0;
    }
    PluginInstaller installer =
        new PluginInstaller(
            ctx.layout, ctx.jails(), ctx.runner(), HostOs.current(), ctx.clock, ctx.out);
    installer.install(
        new PluginInstaller.Request(
            o.plugin(), o.name(), o.properties(), o.keep(), policy, o.allowances()),
        sources);
    return 0;
  }
}
