package org.warder.client.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.warder.client.exec.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder console}: a login shell in a running jail (iocage console). */
@picocli.CommandLine.Command(
    name = "console",
    mixinStandardHelpOptions = true,
    description = {
      "Open an interactive login shell as root in a running jail, as 'iocage console' and"
          + " 'bastille console' do; leave it with 'exit'.",
      "FreeBSD runs 'jexec NAME login -f root'; the Linux sandbox runs /bin/sh -l in the jail."
    })
final class ConsoleCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DryRunOption dryRun;

  @Parameters(paramLabel = "NAME", description = "A running jail.")
  String name;

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    Command command = ctx.jails().console().command(name);
    if (dryRun.dryRun) {
      DryRunOption.print(ctx, List.of(command.display()), "nothing was run");
      return 0;
    }
    ctx.out.flush();
    return ctx.runner().attached(command);
  }
}
