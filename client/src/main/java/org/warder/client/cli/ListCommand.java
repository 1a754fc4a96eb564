package org.warder.client.cli;

import java.util.concurrent.Callable;
import org.warder.client.jail.Jails;
import org.warder.client.release.ReleaseRecord;
import org.warder.client.release.Releases;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code warder list}: what is on this host. */
@Command(name = "list", description = {"List what is on this host: jails (JID, NAME, STATE, RELEASE, IP4),",
    "  -t  templates", "  -r  fetched releases"})
final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;
  @Option(names = {"-r", "--release"}, description = "List fetched releases.") boolean releases;
  @Option(names = {"-t", "--template"}, description = "List templates.") boolean templates;

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    if (!releases) {
      Table table = new Table("JID", "NAME", "STATE", "RELEASE", "IP4", "TYPE");
      for (Jails.Row r : ctx.jails().list(templates)) {
        table.row(r.jid(), r.name(), r.state(), r.release(), r.ip4(), r.type());
      }
      output.print(table, ctx);
      return 0;
    }
    Table table = new Table("RELEASE", "ARCH", "SOURCE", "FILES", "FETCHED");
    for (ReleaseRecord r : new Releases(ctx.layout, ctx.storage()).list()) {
      table.row(r.release(), r.arch(), r.source(),
          String.join(",", r.files().stream().map(ReleaseRecord.FileRecord::name).toList()), r.fetched().toString());
    }
    output.print(table, ctx);
    return 0;
  }
}
