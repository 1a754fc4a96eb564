package org.warder.client.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.warder.client.ClientException;
import org.warder.client.archive.TarExtractor;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;

/**
 * Checks the artifact out of the signed bundle at the commit the manifest pins, into the jail
 * directory's {@code plugin/}; an artifact already there (an update) is kept as {@code plugin.old}
 * until the record step, and put back by undo.
 */
final class ArtifactStep implements Step {
  private final PluginSources sources;
  private final ResolvedPlugin plugin;
  private final String commit;
  private final Path pluginDir;
  private final Path fresh;
  private final Path old;

  /** The artifact of {@code plugin} at {@code commit} into {@code pluginDir}. */
  ArtifactStep(PluginSources sources, ResolvedPlugin plugin, String commit, Path pluginDir) {
    this.sources = sources;
    this.plugin = plugin;
    this.commit = commit;
    this.pluginDir = pluginDir;
    this.fresh = pluginDir.resolveSibling("plugin.new");
    this.old = pluginDir.resolveSibling("plugin.old");
  }

  @Override
  public String name() {
    return "artifact";
  }

  @Override
  public List<String> describe() {
    return List.of(
        "check out commit "
            + commit
            + " of the signed bundle "
            + plugin
                .bundle()
                .map(t -> t.path() + " (sha256 " + t.sha256().orElse("?") + ")")
                .orElse("")
            + " into "
            + pluginDir);
  }

  @Override
  public void run(Reporter reporter) throws ClientException, IOException {
    TarExtractor.deleteTree(fresh);
    TarExtractor.deleteTree(old);
    new ArtifactCheckout().checkout(sources.bundle(plugin), commit, fresh);
    if (Files.exists(pluginDir)) {
      Files.move(pluginDir, old);
    }
    Files.move(fresh, pluginDir);
    reporter.info("artifact " + commit + " checked out into " + pluginDir);
  }

  @Override
  public void undo(Reporter reporter) throws IOException {
    if (Files.exists(old)) {
      TarExtractor.deleteTree(pluginDir);
      Files.move(old, pluginDir);
    }
  }
}
