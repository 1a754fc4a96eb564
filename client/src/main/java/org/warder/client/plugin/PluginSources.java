package org.warder.client.plugin;

import java.nio.file.Path;

/** Where plugins and their releases come from, for an install and for an update. */
public interface PluginSources {
  /** The plugin, verified. */
  ResolvedPlugin resolve(String plugin) throws Exception;

  /** The verified bundle file of the plugin's artifact. */
  Path bundle(ResolvedPlugin plugin) throws Exception;

  /** Fetches {@code release} when missing; returns whether it fetched it. */
  boolean ensureRelease(String release) throws Exception;
}
