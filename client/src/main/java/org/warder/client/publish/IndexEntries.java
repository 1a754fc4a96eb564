package org.warder.client.publish;

import java.util.Optional;
import org.warder.index.PluginIndex;
import org.warder.index.PluginManifest;

/**
 * Builds the INDEX entry of a plugin being published: from the given entry (an imported iocage
 * INDEX), else the one already published, else one made from the manifest; then the publisher's
 * explicit fields; and always the manifest's target. Thread-safe (stateless).
 */
public final class IndexEntries {
  private IndexEntries() {}

  /**
   * INDEX fields a publisher sets explicitly; empty ones keep what the entry has.
   *
   * @param description the listing's description
   * @param icon icon URL
   * @param primaryPkg the package whose version is the plugin's version
   */
  public record Fields(
      Optional<String> description, Optional<String> icon, Optional<String> primaryPkg) {
    /** No explicit fields. */
    public static Fields none() {
      return new Fields(Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  /** The entry of plugin {@code id} whose manifest is published at {@code manifestTarget}. */
  static PluginIndex.Entry entry(
      String id,
      PluginManifest manifest,
      Optional<PluginIndex.Entry> given,
      Optional<PluginIndex.Entry> published,
      Fields fields,
      String manifestTarget) {
    PluginIndex.Entry base =
        given
            .or(() -> published)
            .orElseGet(
                () ->
                    new PluginIndex.Entry(
                        id + ".json",
                        manifest.name(),
                        "",
                        "",
                        manifest.official(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        java.util.Map.of()));
    return new PluginIndex.Entry(
        base.manifest(),
        base.name(),
        fields.icon().orElse(base.icon()),
        fields.description().orElse(base.description()),
        base.official(),
        fields.primaryPkg().or(base::primaryPkg),
        base.category(),
        base.homepage(),
        base.maintainer(),
        base.license(),
        Optional.of(manifestTarget),
        base.extra());
  }
}
