package org.warder.client.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.warder.client.exec.Command;
import org.warder.client.host.HostOs;
import org.warder.client.jail.JailUpdater;
import org.warder.client.progress.ConsoleReporter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder update} and {@code warder upgrade} of a plain jail (freebsd-update). */
final class UpdateCommands {
  private UpdateCommands() {}

  static int run(CommandSpec spec, String name, Optional<String> release, boolean dryRun)
      throws Exception {
    Context ctx = WarderMain.context(spec);
    JailUpdater updater =
        new JailUpdater(
            ctx.layout,
            ctx.jails().store(),
            ctx.runner(),
            HostOs.current(),
            new ConsoleReporter(ctx.out));
    if (dryRun) {
      DryRunOption.print(
          ctx,
          updater.commands(name, release).stream().map(Command::display).toList(),
          "nothing was run");
      return 0;
    }
    updater.update(name, release);
    return 0;
  }

  /** {@code warder update}. */
  @picocli.CommandLine.Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = {
        "Apply the security and errata patches of its release to a jail (freebsd-update fetch"
            + " install on its root, as 'iocage update' does). FreeBSD only.",
        "A base jail follows its release: update the release instead. Plugin jails: 'warder"
            + " plugin update'."
      })
  static final class Update implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin DryRunOption dryRun;

    @Parameters(paramLabel = "NAME", description = "The jail.")
    String name;

    @Override
    public Integer call() throws Exception {
      return run(spec, name, Optional.empty(), dryRun.dryRun);
    }
  }

  /** {@code warder upgrade}. */
  @picocli.CommandLine.Command(
      name = "upgrade",
      mixinStandardHelpOptions = true,
      description = {
        "Upgrade a jail to a newer FreeBSD release (freebsd-update -r NEWREL upgrade, then"
            + " install, as 'iocage upgrade' does); its release is recorded. FreeBSD only."
      })
  static final class Upgrade implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin DryRunOption dryRun;

    @Option(
        names = {"-r", "--release"},
        required = true,
        paramLabel = "NEWREL",
        description = "The release to upgrade to, e.g. 14.2-RELEASE.")
    String release;

    @Parameters(paramLabel = "NAME", description = "The jail.")
    String name;

    @Override
    public Integer call() throws Exception {
      return run(spec, name, Optional.of(release), dryRun.dryRun);
    }
  }
}
