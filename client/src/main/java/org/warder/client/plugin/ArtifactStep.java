package org.warder.client.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.warder.client.ClientException;
import org.warder.client.host.DirectoryTrees;
import org.warder.client.jail.Jails;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.client.runtime.RuntimeSpec;

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

  /**
   * The steps that bring the artifact of {@code plugin} at {@code commit} into a running jail: the
   * checkout into {@code pluginDir}, the overlay and {@code script} written into the root of the
   * jail {@code spec} describes while it is stopped, and the script run (as step {@code
   * scriptStep}) with the jail's {@code address} in its environment.
   */
  static List<Step> withScript(
      Jails jails,
      PluginSources sources,
      ResolvedPlugin plugin,
      String commit,
      Path pluginDir,
      RuntimeSpec spec,
      String scriptStep,
      String script,
      PluginAddress address,
      ScriptOutput output)
      throws IOException {
    return List.of(
        new ArtifactStep(sources, plugin, commit, pluginDir),
        new JailRootWrite(
            "artifact",
            jails,
            spec,
            true,
            List.of(
                "copy "
                    + pluginDir.resolve("overlay")
                    + "/ onto "
                    + spec.root()
                    + " and "
                    + pluginDir.resolve(script)
                    + " to "
                    + spec.root().resolve("root/" + script)
                    + " (descriptor-relative, never through a symlink of the jail)"),
            (root, r) -> {
              JailRootWrite.overlay(pluginDir, root, r);
              JailRootWrite.place(pluginDir, root, script);
            }),
        new ScriptStep(
            scriptStep, jails.runtime(), spec.name(), pluginDir, script, address, output));
  }

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
    DirectoryTrees.delete(fresh);
    DirectoryTrees.delete(old);
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
      DirectoryTrees.delete(pluginDir);
      Files.move(old, pluginDir);
    }
  }
}
