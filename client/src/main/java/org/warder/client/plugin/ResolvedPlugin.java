package org.warder.client.plugin;

import java.util.List;
import java.util.Optional;
import org.warder.index.CatalogWarning;
import org.warder.index.PluginIndex;
import org.warder.index.PluginManifest;
import org.warder.signing.tuf.TargetFile;

/**
 * A plugin found through a signed INDEX, with its verified manifest.
 *
 * @param publisher the publisher ({@code P} of role {@code plugins-P})
 * @param id the plugin id
 * @param entry its INDEX entry
 * @param manifestTarget the signed description of the manifest target
 * @param manifestBytes the manifest exactly as signed (length and hashes checked)
 * @param manifest the parsed manifest; {@code artifactRef} is present whenever an artifact is
 * @param warnings what parsing the manifest normalised (iocage quirks)
 * @param bundle the signed git bundle target holding {@code manifest.artifactRef()}; empty for a
 *     plugin without artifact
 */
@SuppressWarnings("ArrayRecordComponent") // the manifest as signed, read once, never compared
public record ResolvedPlugin(
    String publisher,
    String id,
    PluginIndex.Entry entry,
    TargetFile manifestTarget,
    byte[] manifestBytes,
    PluginManifest manifest,
    List<CatalogWarning> warnings,
    Optional<TargetFile> bundle) {

  public ResolvedPlugin {
    manifestBytes = manifestBytes.clone();
    warnings = List.copyOf(warnings);
  }

  /** A copy of the manifest bytes as signed. */
  @Override
  public byte[] manifestBytes() {
    return manifestBytes.clone();
  }

  /** {@code P/id}. */
  public String qualifiedId() {
    return publisher + "/" + id;
  }
}
