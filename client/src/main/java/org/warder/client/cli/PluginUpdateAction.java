package org.warder.client.cli;

import java.io.IOException;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.plugin.PluginAllowances;
import org.warder.client.plugin.PluginUpdater;
import org.warder.client.progress.ConsoleReporter;

/**
 * {@code plugin update} and {@code upgrade}: wires the updater to this host's registry and storage.
 */
final class PluginUpdateAction {
  private PluginUpdateAction() {}

  static int run(
      Context ctx, String name, Optional<String> repo, boolean upgrade, PluginAllowances allowances)
      throws ClientException, IOException, InterruptedException {
    RegistryPluginSources sources = new RegistryPluginSources(ctx, repo);
    new PluginUpdater(ctx.jails(), sources.storage(), ctx.clock, new ConsoleReporter(ctx.out))
        .update(name, upgrade, sources, allowances);
    return 0;
  }
}
