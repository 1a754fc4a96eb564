package org.warder.client.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.warder.client.repo.RepoConfig;
import org.warder.client.team.BundleRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder pull TEAM/NAME[:TAG] --repo R}. */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch a jail a team pushed to a registry ('warder push') and import it here.",
      "The bundle is checked against the registry's signed metadata, then every member against its bundle.json"
          + " while it is received; the jail appears only when all of it verified."
    })
final class PullCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "[REPO:]TEAM/NAME[:TAG]",
      description = "The jail; without a tag, the newest.")
  String reference;

  @Option(
      names = "--repo",
      paramLabel = "REPO",
      description = "The registry (default: the only one, or REPO: in the reference).")
  Optional<String> repo = Optional.empty();

  @Option(
      names = {"-n", "--name"},
      paramLabel = "NEWNAME",
      description = "The local name (default: NAME).")
  Optional<String> name = Optional.empty();

  @Option(
      names = "--dry-run",
      description =
          "Print the bundle it would download and the import's steps; download no bundle, change"
              + " nothing (the repository's signed metadata may be refreshed).")
  boolean dryRun;

  @picocli.CommandLine.Mixin ConsentOptions consent;

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    BundleRef ref = BundleRef.parse(reference);
    if (ref.repository().isPresent() && repo.isPresent() && !ref.repository().equals(repo)) {
      throw new ParameterException(
          spec.commandLine(),
          "the reference names repository "
              + ref.repository().get()
              + " and --repo names "
              + repo.get()
              + "; give one");
    }
    RepoConfig config = ctx.repositories().resolve(ref.repository().or(() -> ctx.repository(repo)));
    if (dryRun) {
      ctx.bundleSync().describePull(ref, name, ctx.remoteBundles(config)).forEach(ctx.out::println);
      ctx.out.println("(--dry-run: " + ref + " was not pulled; nothing was written)");
      return 0;
    }
    var jail =
        ctx.bundleSync()
            .pull(config.name(), ref, name, ctx.remoteBundles(config), consent.consent(spec));
    ctx.out.println("pulled " + ref + " as jail " + jail.name());
    return 0;
  }
}
