package org.warder.client.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.warder.client.jail.JailCopier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder cp}: a host file or tree into a jail's root (Bastille's {@code cp}). */
@Command(
    name = "cp",
    mixinStandardHelpOptions = true,
    description = {
      "Copy a host file or directory tree into a jail, as 'bastille cp' does, e.g."
          + " 'warder cp web ./nginx.conf /usr/local/etc/nginx/'. The jail may be running or"
          + " stopped.",
      "JAILPATH is read from the jail's root: an existing directory receives the source under its"
          + " own name; otherwise the source is written at JAILPATH. Files keep their permission"
          + " bits and replace what is there atomically; links in the source are copied as links.",
      "Nothing is written outside the jail: '..' in JAILPATH is refused and no symbolic link"
          + " inside the jail is followed. Device nodes, fifos and sockets are refused."
    })
final class CpCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DryRunOption dryRun;

  @Parameters(index = "0", paramLabel = "NAME", description = "The jail.")
  String name;

  @Parameters(index = "1", paramLabel = "HOSTPATH", description = "A host file or directory.")
  Path source;

  @Parameters(
      index = "2",
      paramLabel = "JAILPATH",
      description = "Where it goes inside the jail, e.g. /usr/local/etc/.")
  String jailPath;

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    JailCopier copier = ctx.jails().copier();
    List<JailCopier.Entry> entries = copier.plan(name, source, jailPath);
    List<String> lines =
        entries.stream()
            .map(e -> "copy " + e.source() + " -> " + name + ":/" + e.target())
            .toList();
    if (dryRun.dryRun) {
      DryRunOption.print(ctx, lines, "nothing was copied");
      return 0;
    }
    copier.copy(name, entries);
    lines.forEach(ctx.out::println);
    return 0;
  }
}
