package org.warder.client.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.warder.client.ClientException;
import org.warder.client.host.ConfinedDirectory;
import org.warder.client.jail.Jails;
import org.warder.client.jail.props.JailName;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.client.runtime.RuntimeSpec;

/**
 * Writes into a jail's root from the host while nothing in the jail runs (the pkg configuration,
 * the overlay, the artifact's scripts): a running jail is stopped first and started again after.
 * The writes go through a {@link ConfinedDirectory} of the root as well, so a link the jail left
 * behind is refused rather than followed. Reverts nothing: the files live in the jail, which an
 * earlier step made or snapshotted.
 */
final class JailRootWrite implements Step {
  private static final Set<PosixFilePermission> SCRIPT_MODE =
      PosixFilePermissions.fromString("rwx------");

  /** What is written into the root, through a {@link ConfinedDirectory} of it. */
  @FunctionalInterface
  interface Writes {
    void write(ConfinedDirectory root, Reporter reporter) throws ClientException, IOException;
  }

  private final String name;
  private final Jails jails;
  private final JailName jail;
  private final Path root;
  private final List<String> description;
  private final Writes writes;

  /**
   * Step {@code name} writing {@code writes}, described by {@code what}; {@code spec} and {@code
   * running} (whether the jail will run when the step starts) make the stop and start lines.
   */
  JailRootWrite(
      String name,
      Jails jails,
      RuntimeSpec spec,
      boolean running,
      List<String> what,
      Writes writes) {
    this.name = name;
    this.jails = jails;
    this.jail = spec.name();
    this.root = spec.root();
    this.writes = writes;
    List<String> lines = new ArrayList<>();
    if (running) {
      lines.addAll(jails.runtime().describeStop(spec));
    }
    lines.addAll(what);
    if (running) {
      lines.addAll(jails.runtime().describeStart(spec));
    }
    this.description = List.copyOf(lines);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<String> describe() {
    return description;
  }

  @Override
  public void run(Reporter reporter) throws ClientException, IOException, InterruptedException {
    boolean running = jails.runtime().jid(jail).isPresent();
    if (running) {
      jails.lifecycle().stop(jail.value());
    }
    try (ConfinedDirectory dir = ConfinedDirectory.open(root)) {
      writes.write(dir, reporter);
    }
    if (running) {
      jails.lifecycle().start(jail.value());
    }
  }

  /**
   * Places the artifact's {@code script} (post_install.sh, pre_update.sh, ...) at {@code
   * /root/SCRIPT} in the jail, when the artifact in {@code pluginDir} has it.
   */
  static void place(Path pluginDir, ConfinedDirectory root, String script) throws IOException {
    if (ScriptStep.present(pluginDir, script)) {
      root.copyIn(pluginDir.resolve(script), "root/" + script, SCRIPT_MODE);
    }
  }

  /** Copies the artifact's overlay, when it has one, onto the jail root. */
  static void overlay(Path pluginDir, ConfinedDirectory root, Reporter reporter)
      throws IOException, PluginException {
    Path overlay = pluginDir.resolve("overlay");
    if (Files.isDirectory(overlay, LinkOption.NOFOLLOW_LINKS)) {
      reporter.info("overlay: " + OverlayCopy.copy(overlay, root) + " files copied into the jail");
    }
  }
}
