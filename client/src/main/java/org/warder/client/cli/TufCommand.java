package org.warder.client.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.warder.client.fetch.OkHttpFetcher;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.MetadataDirectory;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.Updater;
import org.warder.signing.tuf.UpdaterConfig;
import org.warder.signing.tuf.Urls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code warder tuf}: a bare TUF 1.0 client over any standard repository, with the arguments and
 * exit codes of the tuf-conformance client CLI. Options come before the subcommand.
 */
@Command(
    name = "tuf",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "A plain TUF 1.0 client (the tuf-conformance CLI): initialise trust from a root file,"
          + " refresh metadata, download verified targets from any standard TUF repository.",
      "",
      "Examples:",
      "  warder tuf --metadata-dir md init root.json",
      "  warder tuf --metadata-dir md --metadata-url https://repo/metadata refresh",
      "  warder tuf --metadata-dir md --metadata-url https://repo/metadata \\",
      "      --target-name a/b.txt --target-base-url https://repo/targets --target-dir out download"
    },
    subcommands = {TufCommand.Init.class, TufCommand.Refresh.class, TufCommand.Download.class},
    footer = {"", "Exit status: 0 success, 1 any failure (one-line reason on stderr)."})
public final class TufCommand implements Runnable {
  @Option(
      names = "--metadata-dir",
      required = true,
      paramLabel = "DIR",
      description = "Directory of trusted metadata (root.json, timestamp.json, ...).")
  Path metadataDir;

  @Option(
      names = "--metadata-url",
      paramLabel = "URL",
      description = "Base URL of the repository's metadata.")
  Optional<URI> metadataUrl = Optional.empty();

  @Option(
      names = "--target-name",
      paramLabel = "PATH",
      description = "Target path to download; repeat for several, processed in order.")
  List<String> targetNames = List.of();

  @Option(
      names = "--target-base-url",
      paramLabel = "URL",
      description = "Base URL of the repository's targets.")
  Optional<URI> targetBaseUrl = Optional.empty();

  @Option(
      names = "--target-dir",
      paramLabel = "DIR",
      description = "Where downloaded targets are stored.")
  Optional<Path> targetDir = Optional.empty();

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  Updater updater() {
    URI url =
        metadataUrl.orElseThrow(() -> new IllegalArgumentException("--metadata-url is required"));
    return new Updater(
        new MetadataDirectory(metadataDir),
        List.of(url),
        new OkHttpFetcher(WarderMain.tufHttp(spec), "warder/" + VersionProvider.version()),
        Clock.systemUTC(),
        UpdaterConfig.defaults());
  }

  /** {@code init TRUSTED_ROOT}: trust a root file; makes no request. */
  @Command(
      name = "init",
      description =
          "Trust TRUSTED_ROOT_FILE (verified to be signed by its own root keys). No network access.")
  static final class Init implements Callable<Integer> {
    @ParentCommand TufCommand tuf;

    @Parameters(paramLabel = "TRUSTED_ROOT_FILE", description = "A root.json obtained out of band.")
    Path trustedRoot;

    @Override
    public Integer call() throws IOException, SigningException {
      byte[] bytes = Files.readAllBytes(trustedRoot);
      org.warder.signing.tuf.TrustAnchors.checkSelfSigned(bytes);
      new MetadataDirectory(tuf.metadataDir).write("root", bytes);
      return ExitCodes.OK;
    }
  }

  /** {@code refresh}: update top-level metadata. */
  @Command(name = "refresh", description = "Update root, timestamp, snapshot and targets metadata.")
  static final class Refresh implements Callable<Integer> {
    @ParentCommand TufCommand tuf;

    @Override
    public Integer call() throws IOException, SigningException {
      Updater.RefreshResult result = tuf.updater().refresh();
      if (result.rootMayBeStale()) {
        tuf.spec
            .commandLine()
            .getErr()
            .println(
                "warder: warning: stopped after the maximum number of root rotations; run refresh again");
      }
      return ExitCodes.OK;
    }
  }

  /** {@code download}: refresh, then fetch and verify each target in order. */
  @Command(
      name = "download",
      description = "Refresh, then download each --target-name into --target-dir, verified.")
  static final class Download implements Callable<Integer> {
    @ParentCommand TufCommand tuf;

    @Override
    public Integer call() throws IOException, SigningException {
      if (tuf.targetNames.isEmpty()) {
        throw new IllegalArgumentException("download needs at least one --target-name");
      }
      URI base =
          tuf.targetBaseUrl.orElseThrow(
              () -> new IllegalArgumentException("--target-base-url is required"));
      Path dir =
          tuf.targetDir.orElseThrow(() -> new IllegalArgumentException("--target-dir is required"));
      Files.createDirectories(dir);
      Updater updater = tuf.updater();
      updater.refresh();
      for (String name : tuf.targetNames) {
        TargetFile target = updater.targetInfo(name);
        Path destination = dir.resolve(Urls.quote(name));
        if (updater.findCached(target, destination).isEmpty()) {
          updater.download(target, List.of(base), destination);
        }
      }
      return ExitCodes.OK;
    }
  }
}
