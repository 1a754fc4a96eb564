package org.warder.client.publish;

import java.util.Optional;
import org.warder.index.PluginIndex;
import org.warder.index.PluginManifest;

/**
 * One plugin to publish.
 *
 * @param id the plugin id (INDEX key and target path segment)
 * @param manifest its manifest as parsed
 * @param artifactLocation where to fetch the artifact repository from (a local repository, a bundle
 *     file or a URL); empty means the manifest's {@code artifact} URL
 * @param ref the branch, tag or commit to pin; empty means the manifest's {@code artifact_ref},
 *     else the repository's HEAD
 * @param entry the INDEX entry to publish (an imported iocage INDEX); empty means the published
 *     one, else one made from the manifest
 * @param fields INDEX fields set explicitly
 */
public record PluginSource(
    String id,
    PluginManifest manifest,
    Optional<String> artifactLocation,
    Optional<String> ref,
    Optional<PluginIndex.Entry> entry,
    IndexEntries.Fields fields) {}
