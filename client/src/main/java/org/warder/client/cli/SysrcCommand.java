package org.warder.client.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder sysrc}: sysrc(8) in a running jail (Bastille's {@code sysrc}). */
@Command(
    name = "sysrc",
    mixinStandardHelpOptions = true,
    description = {
      "Run 'sysrc ARGS...' inside a running jail, as 'bastille sysrc' does, to read or change its"
          + " /etc/rc.conf: e.g. 'warder sysrc web nginx_enable=YES', 'warder sysrc web"
          + " nginx_enable', 'warder sysrc web -x nginx_flags'. sysrc's exit status becomes"
          + " warder's.",
      "FreeBSD runs 'jexec NAME sysrc ...'; the Linux sandbox runs the jail's own sysrc (the demo"
          + " release's handles NAME=VALUE, NAME, -n NAME and -x NAME). A stopped jail is refused:"
          + " start it first with 'warder start NAME'."
    })
final class SysrcCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DryRunOption dryRun;

  /**
   * The jail's name and sysrc's arguments in one list, so that an argument starting with '-' right
   * after the name ({@code -x}, {@code -n}) is sysrc's, not an unknown option of warder's.
   */
  @Parameters(
      index = "0..*",
      arity = "2..*",
      paramLabel = "NAME ARGS",
      preprocessor = JailCommandLine.class,
      description = {
        "NAME: a running jail.",
        "ARGS: sysrc(8)'s arguments, passed as they are: VARIABLE=VALUE to set, VARIABLE to print,"
            + " -n VARIABLE for the value alone, -x VARIABLE to remove, and sysrc's other options."
      })
  List<String> words;

  @Override
  public Integer call() throws Exception {
    List<String> argv = new ArrayList<>(List.of("sysrc"));
    argv.addAll(words.subList(1, words.size()));
    return dryRun.runInJail(WarderMain.context(spec), words.get(0), argv);
  }
}
