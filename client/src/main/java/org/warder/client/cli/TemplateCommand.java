package org.warder.client.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.warder.client.jail.TemplateCleaner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder template}: preparing templates. */
@Command(
    name = "template",
    mixinStandardHelpOptions = true,
    description = "Prepare jails to become templates.",
    subcommands = {TemplateCommand.Clean.class})
final class TemplateCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code template clean NAME}. */
  @Command(
      name = "clean",
      mixinStandardHelpOptions = true,
      description = {
        "Remove from stopped jail NAME what must not be copied into jails made from it: SSH host keys"
            + " (sshd makes new ones), /root/.ssh/known_hosts, and the globs listed in <root>/template-clean.conf"
            + " (one per line, relative to the jail root) and given with --path.",
        "Then freeze it with 'warder set template=yes NAME'."
      })
  static final class Clean implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "A stopped jail.")
    String name;

    @Option(
        names = "--path",
        paramLabel = "GLOB",
        description = "Also remove what GLOB matches (relative to the jail root).")
    List<String> paths = new ArrayList<>();

    @Option(names = "--dry-run", description = "Only list what would be removed.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
      Context ctx = WarderMain.context(spec);
      TemplateCleaner cleaner = new TemplateCleaner(ctx.layout, ctx.jails());
      List<String> removed = cleaner.clean(name, cleaner.patterns(paths), dryRun);
      for (String r : removed) {
        ctx.out.println((dryRun ? "would remove " : "removed ") + "/" + r);
      }
      ctx.out.println(
          name + ": " + removed.size() + " path(s) " + (dryRun ? "would be " : "") + "removed");
      return 0;
    }
  }
}
