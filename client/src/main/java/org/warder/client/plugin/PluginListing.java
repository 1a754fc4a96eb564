package org.warder.client.plugin;

import org.warder.index.PluginIndex;

/**
 * One plugin as a publisher's signed INDEX lists it.
 *
 * @param publisher the publisher ({@code P} of role {@code plugins-P})
 * @param id the plugin id, the INDEX key
 * @param entry the INDEX entry: name, description, primary_pkg, official, manifest_target, ...
 */
public record PluginListing(String publisher, String id, PluginIndex.Entry entry) {
  /** {@code P/id}: names the plugin unambiguously in a registry. */
  public String qualifiedId() {
    return publisher + "/" + id;
  }
}
