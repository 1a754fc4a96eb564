package org.warder.client.cli;

import java.util.concurrent.Callable;
import org.warder.client.jail.JailRenamer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder rename}: a stopped jail gets a new name (iocage and Bastille rename). */
@Command(
    name = "rename",
    mixinStandardHelpOptions = true,
    description = {
      "Give a stopped jail a new name, as 'iocage rename' and 'bastille rename' do.",
      "Its directory (or ZFS dataset) moves to jails/NEW, its config.json and fstab follow, its"
          + " hostname too when it was the old name, and jails that depend on it (depends=OLD)"
          + " name NEW instead.",
      "Refused while the jail runs and when NEW is taken.",
      "Example: warder stop www && warder rename www web && warder start web"
    })
final class RenameCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DryRunOption dryRun;

  @Parameters(index = "0", paramLabel = "OLD", description = "A stopped jail.")
  String from;

  @Parameters(index = "1", paramLabel = "NEW", description = "Its new name (free).")
  String to;

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    JailRenamer renamer = ctx.jails().renamer();
    if (dryRun.dryRun) {
      renamer.plan(from, to).describe().forEach(ctx.out::println);
      ctx.out.println("(--dry-run: " + from + " was not renamed; nothing was changed)");
      return 0;
    }
    renamer.rename(from, to);
    return 0;
  }
}
