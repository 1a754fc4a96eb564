package org.warder.client.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.warder.client.publish.PluginIndexImport;
import org.warder.client.publish.PluginPublisher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code warder publish plugin-index SOURCE}: every plugin of an iocage index, in one role version.
 */
@Command(
    name = "plugin-index",
    mixinStandardHelpOptions = true,
    description = {
      "Publish every plugin of an iocage plugin index (INDEX and the manifests it names) as publisher P,"
          + " in one new version of role plugins-P.",
      "SOURCE is a directory, or a git URL or repository (fetched with JGit, at --source-ref or its HEAD).",
      "A plugin that cannot be published is reported with its reason and the others are published"
          + " (--strict: nothing is published then). Exit status 1 when any plugin was refused."
    })
final class PublishPluginIndexCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PluginPublishOptions options;

  @Parameters(
      index = "0",
      paramLabel = "SOURCE",
      description = "Index directory, or git URL or repository.")
  String source;

  @Option(
      names = "--source-ref",
      paramLabel = "REF",
      description = "Branch, tag or commit of a git SOURCE (default: HEAD).")
  Optional<String> sourceRef = Optional.empty();

  @Option(
      names = "--artifact-source",
      paramLabel = "DIR",
      description =
          "Take each artifact from DIR/<name>, <name> being its artifact URL's last segment without .git.")
  Optional<Path> artifactSource = Optional.empty();

  @Option(names = "--strict", description = "Publish nothing if any plugin is refused.")
  boolean strict;

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    PluginIndexImport.Plan plan = PluginIndexImport.read(source, sourceRef, artifactSource);
    plan.warnings().forEach(w -> ctx.err.println("warning: " + w));
    ctx.err.flush();
    PluginPublisher.Report report = options.publish(ctx, plan.sources(), plan.refused(), strict);
    options.print(ctx, report);
    if (!report.refused().isEmpty()) {
      ctx.err.println(
          "warder: refused "
              + report.refused().size()
              + " of "
              + report.outcomes().size()
              + " plugin(s), listed above"
              + (report.version().isPresent()
                  ? options.dryRun.dryRun
                      ? "; the others would be published"
                      : "; the others were published"
                  : strict ? "; nothing was published (--strict)" : ""));
      ctx.err.flush();
      return ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }
}
