package org.warder.client.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.warder.client.jail.JailFstab;
import org.warder.client.plan.Plan;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder fstab}: add, remove and list a jail's nullfs mounts (iocage fstab). */
@Command(
    name = "fstab",
    description = {
      "Share host directories with a jail (nullfs mounts kept in jails/NAME/fstab), as 'iocage"
          + " fstab' does.",
      "  warder fstab NAME -a SRC DST [ro|rw]   mount host directory SRC on DST inside the jail",
      "  warder fstab NAME -r DST                remove the mount on DST",
      "  warder fstab NAME -l                    list the jail's mounts",
      "DST is a path inside the jail (/mnt/data); it is created there, never through a link."
          + " On a running jail the change is made at once on FreeBSD; the Linux sandbox makes"
          + " it at the next start."
    })
final class FstabCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;

  @ArgGroup(multiplicity = "1")
  Action action;

  static final class Action {
    @Option(
        names = {"-a", "--add"},
        description = "Add a mount: SRC DST [ro|rw] follow the jail's name (default ro).")
    boolean add;

    @Option(
        names = {"-r", "--remove"},
        description = "Remove the mount on DST (after the jail's name).")
    boolean remove;

    @Option(
        names = {"-l", "--list"},
        description = "List the jail's own mounts.")
    boolean list;
  }

  @Mixin DryRunOption dryRun;

  @Parameters(index = "0", paramLabel = "NAME", description = "The jail.")
  String name;

  @Parameters(
      index = "1..*",
      paramLabel = "ARGS",
      description = "-a: SRC DST [ro|rw]; -r: DST; -l: nothing.")
  List<String> args = List.of();

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    JailFstab fstab = ctx.jails().fstab();
    if (action.list) {
      expect(0, 0, "-l takes only the jail's name");
      if (dryRun.dryRun) {
        throw new ParameterException(
            spec.commandLine(), "-l changes nothing; --dry-run applies to -a and -r");
      }
      Table table = new Table("SOURCE", "TARGET", "MODE");
      for (JailFstab.UserMount m : fstab.list(name)) {
        table.row(m.source().toString(), "/" + m.target(), m.readOnly() ? "ro" : "rw");
      }
      output.print(table, ctx);
      return 0;
    }
    if (output.scripted || output.json) {
      throw new ParameterException(
          spec.commandLine(), "-h and --json format the listing of -l; -a and -r print one line");
    }
    Plan plan;
    String done;
    if (action.add) {
      expect(2, 3, "-a takes SRC DST [ro|rw] after the jail's name");
      String mode = args.size() == 3 ? args.get(2) : "ro";
      if (!mode.equals("ro") && !mode.equals("rw")) {
        throw new ParameterException(
            spec.commandLine(), "the mode after DST is ro or rw; found '" + mode + "'");
      }
      plan = fstab.planAdd(name, Path.of(args.get(0)), args.get(1), mode.equals("ro"));
      done = name + ": " + args.get(0) + " mounted on " + args.get(1) + " (" + mode + ")";
    } else {
      expect(1, 1, "-r takes DST after the jail's name");
      plan = fstab.planRemove(name, args.get(0));
      done = name + ": mount on " + args.get(0) + " removed";
    }
    if (dryRun.dryRun) {
      DryRunOption.print(ctx, plan.describe(), "nothing was changed");
      return 0;
    }
    fstab.run(plan);
    ctx.out.println(done);
    return 0;
  }

  private void expect(int min, int max, String usage) {
    if (args.size() < min || args.size() > max) {
      throw new ParameterException(spec.commandLine(), usage + "; found " + args);
    }
  }
}
