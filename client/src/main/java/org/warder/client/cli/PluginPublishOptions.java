package org.warder.client.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.warder.client.ClientException;
import org.warder.client.plugin.ArtifactTree;
import org.warder.client.plugin.PluginTargets;
import org.warder.client.progress.ConsoleReporter;
import org.warder.client.publish.Destination;
import org.warder.client.publish.PluginPublisher;
import org.warder.client.publish.PluginSource;
import org.warder.client.repo.RepoConfig;
import org.warder.index.CatalogException;
import org.warder.signing.SigningException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options both plugin publishing commands share, and their common run and report. */
final class PluginPublishOptions {
  @Option(
      names = "--repo",
      paramLabel = "NAME",
      description = "Registry to publish to (default: $WARDER_REPO or repository in warder.conf).")
  Optional<String> repo = Optional.empty();

  @Option(
      names = "--publisher",
      paramLabel = "P",
      required = true,
      description =
          "Your publisher name: you publish as the delegated role plugins-P, under plugins/P/.")
  String publisher;

  @Mixin SigningOptions signing;

  @Mixin DryRunOption dryRun;

  /**
   * Publishes {@code sources} in one role version; {@code earlier} are refusals made while reading
   * them.
   */
  PluginPublisher.Report publish(
      Context ctx,
      List<PluginSource> sources,
      List<PluginPublisher.Outcome> earlier,
      boolean strict)
      throws ClientException,
          CatalogException,
          SigningException,
          IOException,
          InterruptedException {
    PluginTargets.checkPublisher(publisher);
    String registry = ctx.publishingRepository(repo, "publish plugin");
    RepoConfig config = ctx.repositories().get(registry);
    List<PluginPublisher.Outcome> outcomes = new ArrayList<>(earlier);
    OptionalLong version = OptionalLong.empty();
    List<String> actions = List.of();
    if (!sources.isEmpty()) {
      Destination to =
          signing.destination(
              ctx, config, PluginTargets.role(publisher), PluginTargets.delegatedPaths(publisher));
      PluginPublisher.Report report =
          new PluginPublisher(
                  ctx.clock, new ConsoleReporter(ctx.out), ArtifactTree.Limits.defaults())
              .publish(publisher, sources, earlier, strict, to, dryRun.dryRun);
      SigningOptions.warnExpiring(ctx, to, registry);
      outcomes = new ArrayList<>(report.outcomes());
      version = report.version();
      actions = report.actions();
    }
    outcomes.sort(Comparator.comparing(PluginPublisher.Outcome::id));
    return new PluginPublisher.Report(outcomes, version, actions);
  }

  /**
   * One line per plugin, then what was submitted; a dry run lists every upload and the signing it
   * would have done instead.
   */
  void print(Context ctx, PluginPublisher.Report report) {
    for (PluginPublisher.Outcome o : report.outcomes()) {
      String status =
          switch (o.status()) {
            case PUBLISHED -> "ok";
            case UNCHANGED -> "unchanged";
            case REFUSED -> "refused";
          };
      ctx.out.println(
          String.format(java.util.Locale.ROOT, "%-9s %s: %s", status, o.id(), o.detail()));
    }
    String role = PluginTargets.role(publisher);
    if (dryRun.dryRun) {
      List<String> lines = new ArrayList<>(report.actions());
      if (report.version().isEmpty()) {
        lines.add("nothing new would be published as " + role);
      }
      DryRunOption.print(ctx, lines, "nothing was uploaded or signed");
    } else if (report.version().isPresent()) {
      long published =
          report.outcomes().stream()
              .filter(o -> o.status() != PluginPublisher.Status.REFUSED)
              .count();
      ctx.out.println(
          "published "
              + published
              + " plugin(s) as "
              + role
              + " version "
              + report.version().getAsLong());
    } else {
      ctx.out.println("nothing new published as " + role);
    }
    ctx.out.flush();
  }
}
