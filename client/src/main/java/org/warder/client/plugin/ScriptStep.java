package org.warder.client.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.warder.client.jail.props.JailName;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.client.runtime.JailRuntime;

/**
 * Runs one of the artifact's scripts (post_install.sh, pre_update.sh, post_update.sh), placed at
 * {@code /root/SCRIPT} in the running jail by a {@link JailRootWrite}, with its output streamed;
 * nothing when the artifact in {@code pluginDir} has no such script. Reverts nothing: its effects
 * live in the jail, which an earlier step made or snapshotted. Its {@code IOCAGE_PLUGIN_IP} and
 * {@code WARDER_PLUGIN_IP} are the running jail's address ({@link PluginAddress}).
 */
final class ScriptStep implements Step {
  private final String name;
  private final JailRuntime runtime;
  private final JailName jail;
  private final Path pluginDir;
  private final String script;
  private final PluginAddress address;
  private final ScriptOutput output;
  private final String description;

  ScriptStep(
      String name,
      JailRuntime runtime,
      JailName jail,
      Path pluginDir,
      String script,
      PluginAddress address,
      ScriptOutput output)
      throws IOException {
    this.name = name;
    this.runtime = runtime;
    this.jail = jail;
    this.pluginDir = pluginDir;
    this.script = script;
    this.address = address;
    this.output = output;
    this.description =
        "when the artifact has "
            + script
            + ": "
            + runtime.describeExec(jail, argv(script), PluginAddress.scriptEnv(address.planned()));
  }

  /** The argv that runs {@code /root/SCRIPT} with its stderr joined to its stdout. */
  private static List<String> argv(String script) {
    return List.of("/bin/sh", "-c", "exec 2>&1; exec /bin/sh /root/" + script);
  }

  /** Whether the artifact in {@code pluginDir} has {@code script} (then it is placed in a jail). */
  static boolean present(Path pluginDir, String script) {
    return Files.isRegularFile(pluginDir.resolve(script), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<String> describe() {
    return List.of(description);
  }

  @Override
  public void run(Reporter reporter) throws IOException, InterruptedException {
    if (present(pluginDir, script)) {
      Map<String, String> env = PluginAddress.scriptEnv(address.resolve());
      output.check(runtime.execStreaming(jail, argv(script), env, output.sink(reporter)));
    }
  }
}
