package org.warder.client.cli;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.warder.client.ClientException;
import org.warder.client.plan.Plan;
import org.warder.client.plan.StepFailedException;
import org.warder.client.progress.ConsoleReporter;
import picocli.CommandLine.Option;

/**
 * {@code --dry-run} of a command that changes the host: the command builds its {@link Plan}, then
 * either prints it (and says that nothing changed) or runs it, so the two cannot disagree.
 */
final class DryRunOption {
  @Option(names = "--dry-run", description = "Print what would be done; change nothing.")
  boolean dryRun;

  /**
   * Prints {@code plan} and {@code (--dry-run: NOTHING)} when dry, else runs it; whether it ran.
   */
  boolean runOrPrint(Context ctx, Plan plan, String nothing)
      throws StepFailedException, InterruptedException {
    if (dryRun) {
      print(ctx, plan.describe(), nothing);
      return false;
    }
    plan.run(new ConsoleReporter(ctx.out), false, List::of);
    return true;
  }

  /**
   * Prints {@code heading}, {@code plan}'s lines numbered (a step's further lines indented under
   * it), then {@code (--dry-run: NOTHING)}.
   */
  static void printNumbered(Context ctx, String heading, Plan plan, String nothing) {
    ctx.out.println(heading);
    List<String> lines = plan.describe();
    for (int i = 0; i < lines.size(); i++) {
      ctx.out.println(String.format("%3d  %s", i + 1, lines.get(i).replace("\n", "\n       ")));
    }
    ctx.out.println("(--dry-run: " + nothing + ")");
  }

  /**
   * Runs {@code argv} in the running jail {@code name} and relays its output and exit status, or,
   * when dry, prints it and runs nothing (the jail-side verbs: {@code service}, {@code sysrc}).
   */
  int runInJail(Context ctx, String name, List<String> argv)
      throws ClientException, IOException, InterruptedException {
    if (dryRun) {
      print(ctx, List.of("in jail " + name + ": " + String.join(" ", argv)), "nothing was run");
      return 0;
    }
    return JailCommands.relayed(ctx, ctx.jails().lifecycle().exec(name, argv, Map.of()));
  }

  /** Prints {@code lines}, then {@code (--dry-run: NOTHING)}. */
  static void print(Context ctx, List<String> lines, String nothing) {
    lines.forEach(ctx.out::println);
    ctx.out.println("(--dry-run: " + nothing + ")");
  }
}
