package org.warder.client.plugin;

import java.io.IOException;
import org.warder.client.ClientException;

/** Where plugins and their releases come from, for an install and for an update. */
public interface PluginSources extends ArtifactBundles {
  /** The plugin, verified. */
  ResolvedPlugin resolve(String plugin) throws ClientException, IOException;

  /** Whether this host has {@code release} fetched. */
  boolean hasRelease(String release) throws IOException, InterruptedException;

  /** Fetches {@code release} when missing; returns whether it fetched it. */
  boolean ensureRelease(String release) throws ClientException, IOException, InterruptedException;
}
