package org.warder.client.cli;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.warder.client.jail.JailUsage;
import org.warder.client.storage.DiskUsage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code warder df}: disk usage per jail (iocage df). */
@Command(
    name = "df",
    description = {
      "Show the disk space each jail takes, as 'iocage df' does: CRT compression ratio, RES"
          + " reservation, QTA quota, USE used, AVA available (sizes in bytes with -h or --json).",
      "On ZFS every column comes from 'zfs get'; on directory storage USE adds up the jail's"
          + " files and AVA is the free space of their file system; what the storage cannot tell"
          + " shows as '-'."
    })
final class DfCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    JailUsage usage = ctx.jails().usage();
    boolean raw = output.scripted || output.json;
    Table table = new Table("NAME", "CRT", "RES", "QTA", "USE", "AVA");
    for (JailUsage.Row row : usage.all()) {
      DiskUsage u = row.usage();
      table.row(
          row.name(),
          u.compressRatio().orElse("-"),
          size(u.reservation(), raw),
          size(u.quota(), raw),
          size(u.used(), raw),
          size(u.available(), raw));
    }
    output.print(table, ctx);
    if (!raw && usage.storageKind().equals("dir")) {
      ctx.err.println(
          "(directory storage: no compression, reservation or quota; USE is the sum of the"
              + " jail's file sizes)");
    }
    return 0;
  }

  /** {@code 1.5G}-style, or the byte count for scripts; {@code -} when unknown. */
  static String size(OptionalLong bytes, boolean raw) {
    if (bytes.isEmpty()) {
      return "-";
    }
    long b = bytes.getAsLong();
    if (raw || b < 1024) {
      return Long.toString(b);
    }
    String units = "KMGTPE";
    double v = b;
    int u = -1;
    while (v >= 1024 && u < units.length() - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, v < 10 ? "%.1f%c" : "%.0f%c", v, units.charAt(u));
  }
}
