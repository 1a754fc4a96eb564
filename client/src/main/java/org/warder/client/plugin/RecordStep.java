package org.warder.client.plugin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.warder.client.host.DirectoryTrees;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.client.state.StateFiles;
import org.warder.index.PluginManifest;
import org.warder.signing.AtomicFiles;
import org.warder.signing.Digests;

/**
 * Records what the jail holds: manifest.json as signed, and plugin.json; a previous artifact kept
 * by an update goes. Reverts nothing: the files live in the jail's directory.
 */
final class RecordStep implements Step {
  private final Path dir;
  private final ResolvedPlugin plugin;
  private final String commit;
  private final Clock clock;

  /** The record of {@code plugin} at {@code commit} in jail directory {@code dir}. */
  RecordStep(Path dir, ResolvedPlugin plugin, String commit, Clock clock) {
    this.dir = dir;
    this.plugin = plugin;
    this.commit = commit;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "record";
  }

  @Override
  public List<String> describe() {
    return List.of(
        "write "
            + dir.resolve("manifest.json")
            + " (the manifest as signed) and "
            + dir.resolve("plugin.json")
            + ": plugin "
            + plugin.qualifiedId()
            + " revision "
            + plugin.manifest().revision()
            + " commit "
            + commit);
  }

  @Override
  public void run(Reporter reporter) throws IOException {
    AtomicFiles.write(dir.resolve("manifest.json"), plugin.manifestBytes());
    PluginManifest manifest = plugin.manifest();
    ObjectNode record =
        JsonNodeFactory.instance
            .objectNode()
            .put("plugin", plugin.qualifiedId())
            .put("publisher", plugin.publisher())
            .put("id", plugin.id())
            .put("revision", manifest.revision())
            .put("release", manifest.release())
            .put("commit", commit)
            .put("manifest_sha256", Digests.sha256Hex(plugin.manifestBytes()))
            .put("installed", clock.instant().toString());
    AtomicFiles.write(
        dir.resolve("plugin.json"),
        StateFiles.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
    DirectoryTrees.delete(dir.resolve("plugin.old"));
  }
}
