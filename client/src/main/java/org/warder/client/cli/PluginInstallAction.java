package org.warder.client.cli;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.freebsd.PkgRepos;
import org.warder.client.host.HostOs;
import org.warder.client.jail.Jails;
import org.warder.client.plugin.PluginAllowances;
import org.warder.client.plugin.PluginInstaller;
import org.warder.client.progress.ConsoleReporter;

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

  static int run(Context ctx, Options o) throws ClientException, IOException, InterruptedException {
    RegistryPluginSources sources = new RegistryPluginSources(ctx, o.repo());
    PkgRepos.FreeBsdRepo policy =
        o.disableFreeBsdRepo() ? PkgRepos.FreeBsdRepo.DISABLE : PkgRepos.FreeBsdRepo.KEEP_ENABLED;
    Jails jails = ctx.jails();
    PluginInstaller installer =
        new PluginInstaller(jails, HostOs.current(), ctx.clock, new ConsoleReporter(ctx.out));
    PluginInstaller.Planned planned =
        installer.plan(
            new PluginInstaller.Request(
                o.plugin(), o.name(), o.properties(), o.keep(), policy, o.allowances()),
            sources);
    if (!o.dryRun()) {
      installer.install(planned);
      return 0;
    }
    DryRunOption.printNumbered(
        ctx,
        "Plan for plugin "
            + planned.plugin().qualifiedId()
            + " revision "
            + planned.plugin().manifest().revision()
            + " into jail "
            + planned.jail()
            + " ("
            + jails.runtime().kind()
            + " runtime, "
            + sources.storage().kind()
            + " storage):",
        planned.plan(),
        "nothing was run or written");
    return 0;
  }
}
