package org.warder.client.plugin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.jail.Jail;
import org.warder.client.jail.Jails;
import org.warder.client.jail.props.JailName;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.index.PluginManifest;

/**
 * Gives the jail a devfs ruleset of its own holding the manifest's rules, used by jail(8) from the
 * next start. Reverts nothing: the rules live in the jail's directory.
 */
final class DevfsStep implements Step {
  private final Jails jails;
  private final JailName jail;
  private final Path dir;
  private final PluginManifest.DevfsRuleset rules;
  private final Optional<Integer> ruleset;
  private final boolean noteSandbox;

  /**
   * The rules for {@code jail} (in directory {@code dir}) under {@code ruleset} when the plan chose
   * the number (an install), else under the jail's own number (an update); {@code noteSandbox}:
   * whether to tell that the Linux sandbox ignores the rules (an install off FreeBSD).
   */
  DevfsStep(
      Jails jails,
      JailName jail,
      Path dir,
      PluginManifest.DevfsRuleset rules,
      Optional<Integer> ruleset,
      boolean noteSandbox) {
    this.jails = jails;
    this.jail = jail;
    this.dir = dir;
    this.rules = rules;
    this.ruleset = ruleset;
    this.noteSandbox = noteSandbox;
  }

  @Override
  public String name() {
    return "devfs";
  }

  @Override
  public List<String> describe() {
    String number = ruleset.map(n -> Integer.toString(n)).orElse("its own");
    return List.of(
        "write "
            + dir.resolve("devfs.json")
            + ": the manifest's devfs rules, for ruleset "
            + number
            + " of the jail's own (devfs_ruleset="
            + number
            + ")");
  }

  @Override
  public void run(Reporter reporter) throws ClientException, IOException {
    Jail updated = jails.creator().ownDevfsRuleset(jails.store().get(jail.value()), rules);
    String given = updated.props().value("devfs_ruleset");
    if (ruleset.isPresent() && !given.equals(Integer.toString(ruleset.get()))) {
      throw new ClientException(
          ClientException.Reason.CONFLICT,
          "expected devfs ruleset "
              + ruleset.get()
              + " for "
              + jail
              + " as planned, found it given "
              + given
              + " (another jail took the number meanwhile); run the install again");
    }
    if (noteSandbox) {
      reporter.info(
          "devfs: recorded for jail(8); the sandbox gives the jail bwrap's minimal /dev instead");
    }
  }
}
