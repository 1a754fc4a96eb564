package org.warder.client.cli;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.warder.client.host.HostOs;
import org.warder.client.plan.Plan;
import org.warder.client.progress.ConsoleReporter;
import org.warder.client.progress.ProgressFetcher;
import org.warder.client.progress.ProgressListener;
import org.warder.client.release.ReleaseFetcher;
import org.warder.client.repo.RepoConfig;
import org.warder.client.repo.Repositories;
import org.warder.signing.tuf.MetadataDirectory;
import org.warder.signing.tuf.Updater;
import org.warder.signing.tuf.UpdaterConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder fetch -r REL}: a verified FreeBSD release onto this host. */
@Command(
    name = "fetch",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch a FreeBSD release (-r), verifying every byte, and extract it into <root>/releases/REL/root.",
      "From a registry the files are checked against signed metadata; from a plain FreeBSD mirror (--mirror)",
      "against its MANIFEST, which is only authenticated when --manifest-sha256 pins it.",
      "Or install a plugin (-P ID) into a new running jail: the same as 'warder plugin install ID'."
    })
final class FetchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  What what;

  static final class What {
    @Option(
        names = {"-r", "--release"},
        paramLabel = "REL",
        required = true,
        description = "Release, e.g. 14.2-RELEASE.")
    String release;

    @Option(
        names = {"-P", "--plugin"},
        paramLabel = "ID",
        required = true,
        description = "Plugin to install (ID or PUBLISHER/ID).")
    String plugin;
  }

  @Option(
      names = {"-n", "--name"},
      paramLabel = "NAME",
      description = "With -P: the jail's name (default: the plugin id).")
  Optional<String> name = Optional.empty();

  @Option(
      names = {"-k", "--keep"},
      description = "With -P: keep the jail when the install fails, to inspect it.")
  boolean keep;

  @Option(
      names = "--dry-run",
      description =
          "Print what would be downloaded (names, sizes, hashes from the verified metadata) and"
              + " done, or with -P every command and file of the install; change nothing.")
  boolean dryRun;

  @Option(
      names = "--disable-freebsd-repo",
      description =
          "With -P: disable FreeBSD's package repository in the jail (iocage's behaviour); default: keep it.")
  boolean disableFreeBsdRepo;

  @Mixin AllowOptions allow;

  @Parameters(
      paramLabel = "key=value",
      description = "With -P: jail properties, over the manifest's.")
  List<String> properties = List.of();

  @Option(
      names = "--repo",
      paramLabel = "NAME",
      description = "Registry to fetch from (default: the only one).")
  Optional<String> repo = Optional.empty();

  @Option(
      names = {"-F", "--file"},
      paramLabel = "FILE",
      description =
          "Distribution file to fetch; repeatable (default: base.txz, and lib32.txz where published).")
  List<String> files = List.of();

  @Option(
      names = "--arch",
      paramLabel = "ARCH",
      description = "Architecture (default: this host's).")
  Optional<String> arch = Optional.empty();

  @Option(
      names = "--mirror",
      paramLabel = "URL",
      description =
          "A plain FreeBSD mirror, e.g. https://download.freebsd.org/releases/ (no signatures).")
  Optional<URI> mirror = Optional.empty();

  @Option(
      names = "--manifest-sha256",
      paramLabel = "HEX",
      description = "Pin the mirror's MANIFEST by its sha256.")
  Optional<String> manifestSha256 = Optional.empty();

  @Option(
      names = {"--no-update", "-NU"},
      description = "Do not apply freebsd-update to the extracted release.")
  boolean noUpdate;

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    if (what.plugin != null) {
      return PluginInstallAction.run(
          ctx,
          new PluginInstallAction.Options(
              what.plugin,
              repo,
              name,
              keep,
              dryRun,
              disableFreeBsdRepo,
              properties,
              allow.allowances()));
    }
    if (!allow.allowances().isEmpty()) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--allow-device, --allow-kmod and --allow-property only apply with -P (a plugin install)");
    }
    String release = what.release;
    ProgressListener progress = ctx.progress();
    ProgressFetcher fetcher = new ProgressFetcher(ctx.fetcher(), progress);
    ReleaseFetcher releases =
        new ReleaseFetcher(
            ctx.layout,
            ctx.storage(),
            ctx.runner(),
            HostOs.current(),
            ctx.clock,
            new ConsoleReporter(ctx.out),
            progress);
    String architecture = arch.orElseGet(HostOs::freebsdArch);
    Plan plan;
    if (mirror.isPresent()) {
      plan =
          releases.planFromMirror(
              release, architecture, files, mirror.get(), manifestSha256, fetcher, !noUpdate);
    } else {
      if (manifestSha256.isPresent()) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--manifest-sha256 only applies with --mirror");
      }
      Repositories repos = ctx.repositories();
      RepoConfig config = repos.resolve(ctx.repository(repo));
      Updater updater =
          new Updater(
              new MetadataDirectory(ctx.layout.repoMetadata(config.name())),
              config.metadataUrls(),
              fetcher,
              ctx.clock,
              UpdaterConfig.defaults());
      plan =
          releases.planFromRegistry(
              release, architecture, files, config.name(), updater, config.targetUrls(), !noUpdate);
    }
    if (dryRun) {
      plan.describe().forEach(ctx.out::println);
      return ExitCodes.OK;
    }
    releases.run(plan);
    ctx.out.println(
        "release "
            + release
            + " ("
            + architecture
            + ") is ready in "
            + ctx.layout.releaseRoot(release));
    return ExitCodes.OK;
  }
}
