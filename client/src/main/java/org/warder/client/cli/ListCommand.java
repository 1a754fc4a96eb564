package org.warder.client.cli;

import java.util.concurrent.Callable;
import org.warder.client.release.ReleaseRecord;
import org.warder.client.release.Releases;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code warder list}: what is on this host. */
@Command(name = "list", description = {"List what is on this host.", "  -r  fetched releases"})
final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Option(names = "--help", usageHelp = true, description = "Show this help.") boolean help;
  @Option(names = {"-r", "--release"}, description = "List fetched releases.") boolean releases;
  @Option(names = "-h", description = "Script output: tab-separated, no header.") boolean scripted;
  @Option(names = "--json", description = "JSON output.") boolean json;

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    if (!releases) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "say what to list: -r (releases)");
    }
    Table table = new Table("RELEASE", "ARCH", "SOURCE", "FILES", "FETCHED");
    for (ReleaseRecord r : new Releases(ctx.layout, ctx.storage()).list()) {
      table.row(r.release(), r.arch(), r.source(),
          String.join(",", r.files().stream().map(ReleaseRecord.FileRecord::name).toList()), r.fetched().toString());
    }
    table.print(ctx.out, scripted, json);
    return 0;
  }
}
