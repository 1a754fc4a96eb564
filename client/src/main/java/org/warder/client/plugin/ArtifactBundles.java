package org.warder.client.plugin;

import java.io.IOException;
import java.io.OutputStream;
import org.warder.client.ClientException;

/** Where the artifact bundles of plugins come from: all a checkout of an artifact needs. */
@FunctionalInterface
public interface ArtifactBundles {
  /**
   * Hands the bytes of the plugin's artifact bundle to {@code verified}, each only once it is
   * verified (chunk by chunk while it downloads when its chunk hashes are signed); returns once the
   * whole bundle matched its signed length and sha256 ({@link PluginCatalog#bundle(ResolvedPlugin,
   * java.io.OutputStream)}).
   */
  void bundle(ResolvedPlugin plugin, OutputStream verified) throws ClientException, IOException;
}
