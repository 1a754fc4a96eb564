package org.warder.client.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.warder.client.publish.Destination;
import org.warder.client.repo.RepoConfig;
import org.warder.client.team.BundlePublisher;
import org.warder.client.team.BundleRef;
import org.warder.client.team.BundleSync;
import org.warder.index.BundleManifest.Compression;
import org.warder.index.BundleManifest.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder push NAME --repo R}. */
@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    description = {
      "Publish jail or template NAME to a registry as a tag of your team's templates or jails (role"
          + " team-TEAM, which the registry administrator delegates to your key).",
      "A template's new tag holds only the difference since the newest published tag this host holds (a ZFS"
          + " incremental stream, or the changed files for --format tar); colleagues get it with"
          + " 'warder create -t REPO:TEAM/NAME[:TAG] -n JAIL'. A jail is pushed whole; 'warder pull' gets it."
    })
final class PushCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "A local jail or template.")
  String name;

  @Option(
      names = "--repo",
      paramLabel = "REPO",
      description =
          "The registry (see 'warder repo list'; default: $WARDER_REPO or repository in"
              + " warder.conf).")
  Optional<String> repo = Optional.empty();

  @Option(
      names = "--as",
      paramLabel = "TEAM/NAME",
      description =
          "Publish as NAME of team TEAM (default for a pulled template: where it came from).")
  Optional<String> as = Optional.empty();

  @Option(
      names = "--tag",
      paramLabel = "TAG",
      description = "The new tag (default: one more than the highest numeric tag).")
  Optional<String> tag = Optional.empty();

  @Mixin BundleOptions bundle;

  @Option(
      names = "--full",
      description = "Publish a template tag whole, even when an earlier tag is held here.")
  boolean full;

  @Option(names = "--live", description = "Push a running jail from a ZFS snapshot taken now.")
  boolean live;

  @Mixin SigningOptions signing;

  @Mixin DryRunOption dryRun;

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    Optional<BundleRef> ref = Optional.empty();
    if (as.isPresent()) {
      ref = Optional.of(BundleRef.parse(as.get()));
      if (ref.get().tag().isPresent() || ref.get().repository().isPresent()) {
        throw new ParameterException(
            spec.commandLine(),
            "expected --as TEAM/NAME (the tag goes in --tag), found \"" + as.get() + "\"");
      }
    }
    Optional<Format> f = bundle.format(spec);
    Compression c = bundle.compression(spec);
    String registry = ctx.publishingRepository(repo, "push");
    RepoConfig config = ctx.repositories().get(registry);
    BundleSync.PushRequest request = new BundleSync.PushRequest(name, ref, tag, f, c, full, live);
    if (dryRun.dryRun) {
      DryRunOption.print(
          ctx,
          ctx.bundleSync()
              .planPush(
                  registry, request, ctx.remoteBundles(config), signing.destination(ctx, config))
              .describe(),
          "nothing was exported or uploaded");
      return 0;
    }
    Destination to = signing.destination(ctx, config);
    ctx.bundleSync()
        .push(registry, request, ctx.remoteBundles(config), to, new BundlePublisher(ctx.clock));
    SigningOptions.warnExpiring(ctx, to, registry);
    return 0;
  }
}
