package org.warder.client.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.warder.client.jail.JailCloner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder clone}: a new jail from a stopped one (Bastille clone). */
@Command(
    name = "clone",
    mixinStandardHelpOptions = true,
    description = {
      "Make a new jail from a stopped one, as 'bastille clone' does.",
      "The new root is a ZFS clone of a snapshot of the source's root (a full copy on directory"
          + " storage, or with -T); its properties are the source's with a new name and hostname,"
          + " new MACs and, for nat=1, a new address pair (both decided at its first start), and"
          + " the key=value properties given on top.",
      "Example: warder clone web web2 ip4_addr='em0|192.0.2.12/24'"
    })
final class CloneCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-T", "--thick"},
      description = "An independent full copy (ZFS send/receive), not a clone of a snapshot.")
  boolean thick;

  @Mixin DryRunOption dryRun;

  @Parameters(index = "0", paramLabel = "SOURCE", description = "A stopped jail.")
  String source;

  @Parameters(index = "1", paramLabel = "NEW", description = "The new jail's name.")
  String target;

  @Parameters(
      index = "2..*",
      paramLabel = "key=value",
      description = "Properties of the new jail (iocage's names).")
  List<String> properties = List.of();

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    JailCloner cloner = ctx.jails().cloner();
    if (dryRun.dryRun) {
      cloner.plan(source, target, properties, thick).plan().describe().forEach(ctx.out::println);
      ctx.out.println("(--dry-run: " + target + " was not created; nothing was changed)");
      return 0;
    }
    cloner.clone(source, target, properties, thick);
    return 0;
  }
}
