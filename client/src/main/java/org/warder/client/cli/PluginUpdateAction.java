package org.warder.client.cli;

import java.util.Optional;
import org.warder.client.plugin.PluginAllowances;
import org.warder.client.plugin.PluginUpdater;

/**
 * {@code plugin update} and {@code upgrade}: wires the updater to this host's registry and storage.
 */
final class PluginUpdateAction {
  private PluginUpdateAction() {}

  static int run(
      Context ctx, String name, Optional<String> repo, boolean upgrade, PluginAllowances allowances)
      throws Exception {
    RegistryPluginSources sources = new RegistryPluginSources(ctx, repo);
    new PluginUpdater(ctx.layout, ctx.jails(), sources.storage(), ctx.runner(), ctx.clock, ctx.out)
        .update(name, upgrade, sources, allowances);
    return 0;
  }
}
