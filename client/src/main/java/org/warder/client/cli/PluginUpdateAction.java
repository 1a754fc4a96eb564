package org.warder.client.cli;

import java.io.IOException;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.plugin.PluginAllowances;
import org.warder.client.plugin.PluginUpdater;
import org.warder.client.progress.ConsoleReporter;

/**
 * {@code plugin update} and {@code upgrade}: wires the updater to this host's registry and storage;
 * with {@code --dry-run}, prints the update's plan and runs nothing.
 */
final class PluginUpdateAction {
  private PluginUpdateAction() {}

  static int run(
      Context ctx,
      String name,
      Optional<String> repo,
      boolean upgrade,
      PluginAllowances allowances,
      boolean dryRun)
      throws ClientException, IOException, InterruptedException {
    RegistryPluginSources sources = new RegistryPluginSources(ctx, repo);
    PluginUpdater updater =
        new PluginUpdater(ctx.jails(), sources.storage(), ctx.clock, new ConsoleReporter(ctx.out));
    PluginUpdater.Planned planned = updater.plan(name, upgrade, sources, allowances);
    if (!dryRun) {
      updater.update(planned);
      return 0;
    }
    DryRunOption.printNumbered(
        ctx,
        "Plan for "
            + (upgrade ? "upgrading " : "updating ")
            + name
            + " to "
            + planned.plugin().qualifiedId()
            + " revision "
            + planned.plugin().manifest().revision()
            + ":",
        planned.plan(),
        "nothing was run or written");
    return 0;
  }
}
