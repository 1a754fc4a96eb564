package org.warder.client.cli;

import java.util.concurrent.Callable;
import org.warder.client.jail.JailDestroyer;
import org.warder.client.release.Releases;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder destroy}: remove a jail, a template or a release. */
@Command(
    name = "destroy",
    mixinStandardHelpOptions = true,
    description = {
      "Destroy a jail or template, or with -r a fetched release.",
      "Refused while the jail runs (unless -f), while jails depend on it or were made from it,",
      "and for a release while jails use it."
    })
final class DestroyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-r", "--release"},
      description = "NAME is a release.")
  boolean release;

  @Option(
      names = {"-f", "--force"},
      description = "Stop a running jail first.")
  boolean force;

  @Option(names = "--dry-run", description = "Print the steps; change nothing (jails, templates).")
  boolean dryRun;

  @Parameters(paramLabel = "NAME", description = "The jail, template or (-r) release.")
  String name;

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    if (!release) {
      JailDestroyer destroyer = ctx.jails().destroyer();
      if (dryRun) {
        destroyer.plan(name, force).describe().forEach(ctx.out::println);
        ctx.out.println("(--dry-run: " + name + " was not destroyed; nothing was changed)");
        return 0;
      }
      destroyer.destroy(name, force);
      return 0;
    }
    if (dryRun) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--dry-run applies to jails and templates, not to a release (-r)");
    }
    new Releases(ctx.layout, ctx.storage()).destroy(name);
    ctx.out.println("destroyed release " + name);
    return 0;
  }
}
