package org.warder.client.cli;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
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
      "and for a release while jails use it.",
      "Asks for confirmation on a terminal; -f does not ask. Without a terminal (a script) -f is",
      "required, so that the script says it means it."
    })
final class DestroyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-r", "--release"},
      description = "NAME is a release.")
  boolean release;

  @Option(
      names = {"-f", "--force"},
      description = "Do not ask for confirmation; stop a running jail first.")
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
      destroyer.plan(name, force); // refusals (running, depended on) come before the question
      confirm(name + " and everything in it");
      destroyer.destroy(name, force);
      return 0;
    }
    if (dryRun) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--dry-run applies to jails and templates, not to a release (-r)");
    }
    confirm("release " + name);
    new Releases(ctx.layout, ctx.storage()).destroy(name);
    ctx.out.println("destroyed release " + name);
    return 0;
  }

  /**
   * Asks on the terminal whether to destroy {@code what}, as iocage does, unless -f; without a
   * terminal refuses, so that a script says with -f that it means it.
   */
  private void confirm(String what) throws ClientException {
    if (force) {
      return;
    }
    Optional<String> answer =
        WarderMain.operator(spec).ask("Destroy " + what + "? It cannot be undone. [y/N] ");
    if (answer.isEmpty()) {
      throw new ClientException(
          Reason.REFUSED,
          "destroy asks for confirmation, and there is no terminal to ask on; nothing was"
              + " destroyed; use -f to destroy "
              + what
              + " without asking");
    }
    String a = answer.get().strip().toLowerCase(Locale.ROOT);
    if (!a.equals("y") && !a.equals("yes")) {
      throw new ClientException(
          Reason.REFUSED,
          "not destroyed: " + what + " stays (answered \"" + answer.get().strip() + "\", not y)");
    }
  }
}
