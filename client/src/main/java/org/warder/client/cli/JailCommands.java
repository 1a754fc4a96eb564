package org.warder.client.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.warder.client.exec.CommandResult;
import org.warder.client.jail.Jail;
import org.warder.client.jail.JailPropertyEditor;
import org.warder.client.jail.JailSnapshots;
import org.warder.client.jail.Jails;
import org.warder.client.jail.props.PropertyCatalog;
import org.warder.client.plan.Plan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The jail lifecycle commands, each a thin shell over a part of {@link Jails}. */
final class JailCommands {
  private JailCommands() {}

  /** {@code warder start}. */
  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description =
          "Start jails (after the jails they depend on); --rc starts every boot=1 jail by priority.")
  static final class Start implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--rc", description = "Start every jail with boot=1, by priority.")
    boolean rc;

    @Parameters(paramLabel = "NAME", description = "Jails to start (with --rc: none).")
    List<String> names = List.of();

    @Mixin DryRunOption dryRun;

    @Override
    public Integer call() throws Exception {
      Context ctx = WarderMain.context(spec);
      Plan plan = ctx.jails().lifecycle().startPlan(names, rc);
      dryRun.runOrPrint(ctx, plan, "no jail was started; nothing was changed");
      return 0;
    }
  }

  /** {@code warder stop}. */
  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description =
          "Stop jails (exec_stop inside, then the jail goes); --rc stops every boot=1 jail, reverse order.")
  static final class Stop implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--rc", description = "Stop every running boot=1 jail, in reverse start order.")
    boolean rc;

    @Parameters(paramLabel = "NAME", description = "Jails to stop (with --rc: none).")
    List<String> names = List.of();

    @Mixin DryRunOption dryRun;

    @Override
    public Integer call() throws Exception {
      Context ctx = WarderMain.context(spec);
      Plan plan = ctx.jails().lifecycle().stopPlan(names, rc);
      dryRun.runOrPrint(ctx, plan, "no jail was stopped; nothing was changed");
      return 0;
    }
  }

  /** {@code warder restart}. */
  @Command(
      name = "restart",
      mixinStandardHelpOptions = true,
      description = "Stop, then start a jail.")
  static final class Restart implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The jail.")
    String name;

    @Mixin DryRunOption dryRun;

    @Override
    public Integer call() throws Exception {
      Context ctx = WarderMain.context(spec);
      Plan plan = ctx.jails().lifecycle().restartPlan(name);
      dryRun.runOrPrint(ctx, plan, name + " was not restarted; nothing was changed");
      return 0;
    }
  }

  /** Prints what a command in a jail wrote, and gives its exit status as warder's. */
  static int relayed(Context ctx, CommandResult r) {
    ctx.out.print(r.stdout());
    ctx.err.print(r.stderr());
    return r.exitCode();
  }

  /** {@code warder exec}. */
  @Command(
      name = "exec",
      mixinStandardHelpOptions = true,
      description = "Run a command in a running jail; its exit status becomes warder's.")
  static final class Exec implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "A running jail.")
    String name;

    @Parameters(
        index = "1..*",
        arity = "1..*",
        paramLabel = "CMD",
        preprocessor = JailCommandLine.class,
        description = "The command and its arguments: everything after NAME, options included.")
    List<String> command;

    @Override
    public Integer call() throws Exception {
      Context ctx = WarderMain.context(spec);
      return relayed(ctx, ctx.jails().lifecycle().exec(name, command, java.util.Map.of()));
    }
  }

  /** {@code warder pkg}: pkg(8) for a jail. */
  @Command(
      name = "pkg",
      mixinStandardHelpOptions = true,
      description =
          "pkg(8) for a running jail: 'pkg -j NAME ARGS' on FreeBSD, the jail's own pkg in the sandbox.")
  static final class Pkg implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "A running jail.")
    String name;

    @Parameters(
        index = "1..*",
        arity = "1..*",
        paramLabel = "ARGS",
        preprocessor = JailCommandLine.class,
        description = "pkg's arguments, everything after NAME, e.g. install -y nginx.")
    List<String> args;

    @Override
    public Integer call() throws Exception {
      Context ctx = WarderMain.context(spec);
      List<String> argv = new java.util.ArrayList<>(List.of("pkg"));
      argv.addAll(args);
      return relayed(
          ctx,
          ctx.jails().lifecycle().exec(name, argv, java.util.Map.of("ASSUME_ALWAYS_YES", "yes")));
    }
  }

  /** {@code warder get}. */
  @Command(
      name = "get",
      description = {
        "Show a property of a jail, or all of them (all).",
        "--json: one object {property: value}, booleans and integers typed as the property catalogue says."
      })
  static final class Get implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin OutputOptions output;

    @Parameters(
        index = "0",
        paramLabel = "PROPERTY|all",
        description = "A property (iocage's names), or all.")
    String property;

    @Parameters(index = "1", paramLabel = "NAME", description = "The jail or template.")
    String name;

    @Override
    public Integer call() throws Exception {
      Context ctx = WarderMain.context(spec);
      Jail jail = ctx.jails().properties().get(name);
      Map<String, String> values =
          property.equals("all")
              ? jail.props().effective()
              : Map.of(property, JailPropertyEditor.value(jail, property));
      if (output.json) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        values.forEach(
            (k, v) ->
                object.set(
                    k,
                    PropertyCatalog.find(k)
                        .map(p -> p.type().toJson(v))
                        .orElse(JsonNodeFactory.instance.textNode(v))));
        ctx.out.println(object.toPrettyString());
        ctx.out.flush();
      } else if (!property.equals("all")) {
        ctx.out.println(values.get(property));
      } else {
        Table table = new Table("PROPERTY", "VALUE");
        values.forEach((k, v) -> table.row(k, v));
        output.print(table, ctx);
      }
      return 0;
    }
  }

  /** {@code warder set}. */
  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = {
        "Set properties of a jail (key=value ...).",
        "template=yes makes it a read-only template, template=no a jail again. Changes take effect at the next start."
      })
  static final class Set implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        arity = "2..*",
        paramLabel = "ARG",
        description = "key=value ... then the jail, as iocage: warder set boot=1 priority=10 www")
    List<String> args;

    @Mixin DryRunOption dryRun;

    @Override
    public Integer call() throws Exception {
      Context ctx = WarderMain.context(spec);
      String name = args.get(args.size() - 1);
      Plan plan = ctx.jails().properties().setPlan(name, args.subList(0, args.size() - 1));
      if (dryRun.runOrPrint(ctx, plan, name + " was not changed; nothing was written")) {
        ctx.out.println(name + " updated");
      }
      return 0;
    }
  }

  /** {@code warder snapshot}. */
  @Command(
      name = "snapshot",
      mixinStandardHelpOptions = true,
      description = "Snapshot a jail's root (ZFS).")
  static final class Snapshot implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = {"-n", "--name"},
        paramLabel = "SNAPSHOT",
        description = "Snapshot name (default: warder-<time>).")
    Optional<String> snapshot = Optional.empty();

    @Parameters(paramLabel = "NAME", description = "The jail.")
    String name;

    @Mixin DryRunOption dryRun;

    @Override
    public Integer call() throws Exception {
      Context ctx = WarderMain.context(spec);
      JailSnapshots snapshots = ctx.jails().snapshots();
      String snap = snapshots.snapshotName(snapshot);
      Plan plan = snapshots.snapshotPlan(name, snap);
      if (dryRun.runOrPrint(ctx, plan, "no snapshot was taken")) {
        ctx.out.println("snapshot " + name + "@" + snap);
      }
      return 0;
    }
  }

  /** {@code warder snaplist}. */
  @Command(name = "snaplist", description = "List a jail's snapshots, oldest first.")
  static final class Snaplist implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin OutputOptions output;

    @Parameters(paramLabel = "NAME", description = "The jail.")
    String name;

    @Override
    public Integer call() throws Exception {
      Context ctx = WarderMain.context(spec);
      Table table = new Table("SNAPSHOT");
      for (String s : ctx.jails().snapshots().snapshots(name)) {
        table.row(s);
      }
      output.print(table, ctx);
      return 0;
    }
  }

  /** {@code warder rollback}. */
  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description = "Roll a stopped jail back to a snapshot (later snapshots are destroyed).")
  static final class Rollback implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = {"-n", "--name"},
        required = true,
        paramLabel = "SNAPSHOT",
        description = "The snapshot (see warder snaplist).")
    String snapshot;

    @Parameters(paramLabel = "NAME", description = "A stopped jail.")
    String name;

    @Mixin DryRunOption dryRun;

    @Override
    public Integer call() throws Exception {
      Context ctx = WarderMain.context(spec);
      Plan plan = ctx.jails().snapshots().rollbackPlan(name, snapshot);
      if (dryRun.runOrPrint(ctx, plan, name + " was not rolled back; nothing was changed")) {
        ctx.out.println(name + " rolled back to " + snapshot);
      }
      return 0;
    }
  }
}
