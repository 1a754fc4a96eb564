package org.warder.client.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.warder.client.progress.ConsoleReporter;
import org.warder.client.publish.Destination;
import org.warder.client.publish.ReleasePublisher;
import org.warder.client.publish.RoleRenewal;
import org.warder.client.repo.RepoConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder publish}: sign and upload to a registry. */
@Command(
    name = "publish",
    description = "Publish releases and plugins (and later templates) to a registry.",
    mixinStandardHelpOptions = true,
    subcommands = {
      PublishCommand.Release.class,
      PublishPluginCommand.class,
      PublishPluginIndexCommand.class,
      PublishCommand.Renew.class
    })
final class PublishCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code publish release}. */
  @Command(
      name = "release",
      mixinStandardHelpOptions = true,
      description = {
        "Publish the FreeBSD release distribution in DIR (MANIFEST and *.txz) as release REL.",
        "Every file is checked against MANIFEST first, uploaded resumably, and the release role's"
            + " metadata is signed here with your key and submitted."
      })
  static final class Release implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REL", description = "Release name, e.g. 14.2-RELEASE.")
    String release;

    @Parameters(
        index = "1",
        paramLabel = "DIR",
        description = "Directory with MANIFEST and the .txz files.")
    Path dir;

    @Option(
        names = "--repo",
        paramLabel = "NAME",
        description = "The registry (default: $WARDER_REPO or repository in warder.conf).")
    Optional<String> repo = Optional.empty();

    @Option(
        names = "--arch",
        defaultValue = "amd64",
        description = "Architecture (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(
        names = "--role",
        defaultValue = "releases",
        description = "Delegated role to publish as (default: ${DEFAULT-VALUE}).")
    String role;

    @Mixin SigningOptions signing;

    @Mixin DryRunOption dryRun;

    @Override
    public Integer call() throws Exception {
      Context ctx = WarderMain.context(spec);
      String registry = ctx.publishingRepository(repo, "publish release");
      RepoConfig config = ctx.repositories().get(registry);
      ReleasePublisher publisher = new ReleasePublisher(ctx.clock, new ConsoleReporter(ctx.out));
      publisher.check(dir);
      Destination to = signing.destination(ctx, config, role, List.of("releases/*/*/*"));
      if (dryRun.dryRun) {
        DryRunOption.print(
            ctx,
            publisher.describe(release, arch, dir, role, to),
            "nothing was uploaded or signed");
        return 0;
      }
      publisher.publish(release, arch, dir, role, to);
      SigningOptions.warnExpiring(ctx, to, registry);
      return 0;
    }
  }

  /** {@code publish renew}. */
  @Command(
      name = "renew",
      mixinStandardHelpOptions = true,
      description = {
        "Renew delegated role ROLE before it expires: sign its next version, listing exactly the"
            + " targets the registry serves for it now, with a new expiry, and submit it. The"
            + " registry cannot renew a delegated role itself: only you hold its key. Clients"
            + " refuse the role's targets once it has expired; 'warder publish' and 'warder push'"
            + " warn 30 days before."
      })
  static final class Renew implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "ROLE",
        description = "The delegated role, e.g. releases, plugins-PUBLISHER or team-TEAM.")
    String role;

    @Option(
        names = "--repo",
        paramLabel = "NAME",
        description = "The registry (default: $WARDER_REPO or repository in warder.conf).")
    Optional<String> repo = Optional.empty();

    @Option(
        names = "--days",
        paramLabel = "N",
        defaultValue = "90",
        description =
            "Days the new version stays valid, 1 to 365 (default: ${DEFAULT-VALUE}, as a"
                + " publication gives).")
    int days;

    @Mixin SigningOptions signing;

    @Override
    public Integer call() throws Exception {
      if (days < 1 || days > RoleRenewal.MAX_VALIDITY.toDays()) {
        throw new ParameterException(
            spec.commandLine(),
            "expected --days from 1 to " + RoleRenewal.MAX_VALIDITY.toDays() + ", found " + days);
      }
      Context ctx = WarderMain.context(spec);
      String registry = ctx.publishingRepository(repo, "publish renew");
      RepoConfig config = ctx.repositories().get(registry);
      Destination to = signing.destination(ctx, config, role, List.of("PATTERN"));
      RoleRenewal.Renewed renewed =
          RoleRenewal.renew(role, Duration.ofDays(days), to, ctx.clock.instant());
      ctx.out.println(
          "renewed "
              + renewed.role()
              + ": version "
              + renewed.version()
              + ", "
              + renewed.targets()
              + " target(s) unchanged, expires "
              + renewed.expires());
      SigningOptions.warnExpiring(ctx, to, registry);
      return 0;
    }
  }
}
