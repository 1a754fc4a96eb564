package org.warder.client.plugin;

import java.io.IOException;
import java.io.OutputStream;
import org.warder.client.ClientException;

/** Where plugins and their releases come from, for an install and for an update. */
public interface PluginSources {
  /** The plugin, verified. */
  ResolvedPlugin resolve(String plugin) throws ClientException, IOException;

  /**
   * Hands the bytes of the plugin's artifact bundle to {@code verified}, each only once it is
   * verified (chunk by chunk while it downloads when its chunk hashes are signed); returns once the
   * whole bundle matched its signed length and sha256 ({@link PluginCatalog#bundle(ResolvedPlugin,
   * java.io.OutputStream)}).
   */
  void bundle(ResolvedPlugin plugin, OutputStream verified) throws ClientException, IOException;

  /** Whether this host has {@code release} fetched. */
  boolean hasRelease(String release) throws IOException, InterruptedException;

  /** Fetches {@code release} when missing; returns whether it fetched it. */
  boolean ensureRelease(String release) throws ClientException, IOException, InterruptedException;
}
