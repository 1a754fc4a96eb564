package org.warder.client.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder service}: service(8) in a running jail (Bastille's {@code service}). */
@Command(
    name = "service",
    mixinStandardHelpOptions = true,
    description = {
      "Run 'service SERVICE ACTION [ARGS...]' inside a running jail, as 'bastille service' does,"
          + " e.g. 'warder service web nginx restart'; the service's exit status becomes warder's.",
      "FreeBSD runs 'jexec NAME service ...'; the Linux sandbox runs the jail's own service"
          + " command. A stopped jail is refused: start it first with 'warder start NAME'."
    })
final class ServiceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DryRunOption dryRun;

  @Parameters(index = "0", paramLabel = "NAME", description = "A running jail.")
  String name;

  @Parameters(
      index = "1..*",
      arity = "2..*",
      paramLabel = "SERVICE ACTION [ARGS]",
      preprocessor = JailCommandLine.class,
      description =
          "The service (nginx, sshd...), the action (start, stop, restart, status, enable...)"
              + " and any further arguments, passed to service(8) as they are.")
  List<String> args;

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    List<String> argv = new ArrayList<>(List.of("service"));
    argv.addAll(args);
    return dryRun.runInJail(ctx, name, argv);
  }
}
