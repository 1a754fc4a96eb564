package org.warder.client.cli;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.warder.client.exec.Command;
import org.warder.client.state.StateFiles;
import org.warder.client.storage.HostSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder activate}: keep releases and jails on ZFS (like {@code iocage activate}). */
@picocli.CommandLine.Command(
    name = "activate",
    mixinStandardHelpOptions = true,
    description = {
      "Store releases, jails and templates as ZFS datasets under DATASET.",
      "DATASET (e.g. zroot/warder) is mounted at the warder root; it is created when it does not exist."
    })
final class ActivateCommand implements Callable<Integer> {
  private static final Pattern DATASET =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]*(/[A-Za-z0-9_.:-]+)*");

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DATASET")
  String dataset;

  @picocli.CommandLine.Mixin DryRunOption dryRun;

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    if (!DATASET.matcher(dataset).matches()) {
      throw new IllegalArgumentException(
          "expected a ZFS dataset name like zroot/warder, found \"" + dataset + "\"");
    }
    Optional<Command> create = Optional.empty();
    if (!ctx.runner().run(Command.of("zfs", "list", "-H", "-o", "name", dataset)).ok()) {
      create =
          Optional.of(
              Command.of("zfs", "create", "-p", "-o", "mountpoint=" + ctx.layout.root(), dataset));
    } else {
      String mountpoint =
          ctx.runner()
              .check(Command.of("zfs", "get", "-H", "-o", "value", "mountpoint", dataset))
              .stdout()
              .strip();
      if (!mountpoint.equals(ctx.layout.root().toString())) {
        throw new IllegalStateException(
            "dataset "
                + dataset
                + " is mounted at "
                + mountpoint
                + ", not at the warder root "
                + ctx.layout.root()
                + "; run 'zfs set mountpoint="
                + ctx.layout.root()
                + " "
                + dataset
                + "' or pass --root "
                + mountpoint);
      }
    }
    if (dryRun.dryRun) {
      List<String> lines = new ArrayList<>();
      create.ifPresent(c -> lines.add(c.display()));
      lines.add("write " + ctx.layout.settings() + ": storage zfs, dataset " + dataset);
      DryRunOption.print(ctx, lines, "warder storage was not changed; nothing was written");
      return 0;
    }
    if (create.isPresent()) {
      ctx.runner().check(create.get());
    }
    Files.createDirectories(ctx.layout.root());
    StateFiles.write(ctx.layout.settings(), new HostSettings("zfs", Optional.of(dataset)));
    ctx.out.println(
        "warder now stores its data in ZFS dataset " + dataset + " at " + ctx.layout.root());
    return 0;
  }
}
