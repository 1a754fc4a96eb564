package org.warder.client.cli;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder plugin}: plugin jails. */
@Command(
    name = "plugin",
    mixinStandardHelpOptions = true,
    description = "Install plugins into jails.",
    subcommands = {
      PluginCommand.Install.class,
      PluginCommand.Update.class,
      PluginCommand.Upgrade.class
    })
final class PluginCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code plugin install} = {@code fetch -P}. */
  @Command(
      name = "install",
      mixinStandardHelpOptions = true,
      description = {
        "Install plugin ID from a signed registry into a new running jail (= warder fetch -P ID).",
        "Every byte comes from verified targets: the manifest, its release, and the artifact at the commit it pins."
      })
  static final class Install implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "ID",
        description = "Plugin id or PUBLISHER/ID (see warder list -PR).")
    String plugin;

    @Parameters(
        index = "1..*",
        paramLabel = "key=value",
        description = "Jail properties, over the manifest's.")
    List<String> properties = List.of();

    @Option(
        names = "--repo",
        paramLabel = "NAME",
        description = "Registry (default: the only one).")
    Optional<String> repo = Optional.empty();

    @Option(
        names = {"-n", "--name"},
        paramLabel = "NAME",
        description = "The jail's name (default: the plugin id).")
    Optional<String> name = Optional.empty();

    @Option(
        names = {"-k", "--keep"},
        description = "Keep the jail when the install fails.")
    boolean keep;

    @Option(names = "--dry-run", description = "Print the plan; run nothing.")
    boolean dryRun;

    @Option(
        names = "--disable-freebsd-repo",
        description = "Disable FreeBSD's package repository in the jail.")
    boolean disableFreeBsdRepo;

    @Mixin AllowOptions allow;

    @Override
    public Integer call() throws Exception {
      return PluginInstallAction.run(
          WarderMain.context(spec),
          new PluginInstallAction.Options(
              plugin,
              repo,
              name,
              keep,
              dryRun,
              disableFreeBsdRepo,
              properties,
              allow.allowances()));
    }
  }

  /** What update and upgrade share: the jail, the registry, the run. */
  abstract static class UpdateOptions implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "A jail installed with fetch -P.")
    String name;

    @Option(
        names = "--repo",
        paramLabel = "NAME",
        description = "Registry (default: the only one).")
    Optional<String> repo = Optional.empty();

    @Mixin AllowOptions allow;

    @Mixin DryRunOption dryRun;

    /** Whether the jail also moves to the manifest's newer release. */
    abstract boolean upgrade();

    @Override
    public Integer call() throws Exception {
      return PluginUpdateAction.run(
          WarderMain.context(spec), name, repo, upgrade(), allow.allowances(), dryRun.dryRun);
    }
  }

  /** {@code plugin update}. */
  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = {
        "Bring plugin jail NAME to the revision its publisher signs now.",
        "A snapshot first, then pre_update.sh, an upgrade of the listed packages, the new artifact and overlay,",
        "post_update.sh; any failure rolls the jail back to the snapshot."
      })
  static final class Update extends UpdateOptions {
    @Override
    boolean upgrade() {
      return false;
    }
  }

  /** {@code plugin upgrade}. */
  @Command(
      name = "upgrade",
      mixinStandardHelpOptions = true,
      description = "As update, and move the jail to the manifest's newer FreeBSD release first.")
  static final class Upgrade extends UpdateOptions {
    @Override
    boolean upgrade() {
      return true;
    }
  }
}
