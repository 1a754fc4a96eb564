package org.warder.client.cli;

import picocli.CommandLine.Option;

/**
 * The output options of every listing command: {@code -h} (tab-separated, no header, for scripts,
 * as iocage has it), {@code --json}, and {@code --help} (since {@code -h} is taken).
 */
final class OutputOptions {
  @Option(names = "--help", usageHelp = true, description = "Show this help.")
  boolean help;

  @Option(names = "-h", description = "Script output: tab-separated, no header.")
  boolean scripted;

  @Option(names = "--json", description = "JSON output.")
  boolean json;

  void print(Table table, Context ctx) {
    table.print(ctx.out, scripted, json);
  }
}
