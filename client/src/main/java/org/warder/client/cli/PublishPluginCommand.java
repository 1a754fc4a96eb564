package org.warder.client.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.warder.client.plugin.PluginTargets;
import org.warder.client.publish.IndexEntries;
import org.warder.client.publish.PluginPublisher;
import org.warder.client.publish.PluginSource;
import org.warder.index.CatalogException;
import org.warder.index.CatalogWarning;
import org.warder.index.Parsed;
import org.warder.index.PluginManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code warder publish plugin MANIFEST.json}: one plugin, its artifact pinned to a commit and
 * bundled.
 */
@Command(
    name = "plugin",
    mixinStandardHelpOptions = true,
    description = {
      "Publish the plugin described by an iocage plugin MANIFEST as publisher P.",
      "The artifact repository (the manifest's artifact URL, or --artifact-source) is fetched, the ref resolved"
          + " to a commit, a git bundle of that commit uploaded with the manifest pinned to it, and the"
          + " INDEX entry added or replaced; role plugins-P is signed here with your key and submitted."
    })
final class PublishPluginCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PluginPublishOptions options;

  @Parameters(
      index = "0",
      paramLabel = "MANIFEST",
      description = "The plugin manifest (iocage JSON).")
  Path manifestFile;

  @Option(
      names = "--id",
      paramLabel = "ID",
      description = "Plugin id (default: the manifest's file name without .json).")
  Optional<String> id = Optional.empty();

  @Option(
      names = "--artifact-ref",
      paramLabel = "REF",
      description =
          "Branch, tag or commit to pin (default: the manifest's artifact_ref, else the repository's HEAD)."
              + " A different commit than the manifest's artifact_ref is refused unless REF is that full commit id.")
  Optional<String> artifactRef = Optional.empty();

  @Option(
      names = "--artifact-source",
      paramLabel = "PATH",
      description =
          "Fetch the artifact from this local repository, bundle or URL instead of the manifest's artifact URL.")
  Optional<String> artifactSource = Optional.empty();

  @Option(
      names = "--description",
      paramLabel = "TEXT",
      description = "INDEX description (default: the published one).")
  Optional<String> description = Optional.empty();

  @Option(
      names = "--icon",
      paramLabel = "URL",
      description = "INDEX icon URL (default: the published one).")
  Optional<String> icon = Optional.empty();

  @Option(
      names = "--primary-pkg",
      paramLabel = "PKG",
      description = "INDEX primary_pkg (default: the published one).")
  Optional<String> primaryPkg = Optional.empty();

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    PluginManifest manifest = read(ctx);
    String pluginId = PluginTargets.checkId(id.orElseGet(() -> stem(manifestFile)));
    PluginSource source =
        new PluginSource(
            pluginId,
            manifest,
            artifactSource,
            artifactRef,
            Optional.empty(),
            new IndexEntries.Fields(description, icon, primaryPkg));
    PluginPublisher.Report report = options.publish(ctx, List.of(source), List.of(), true);
    if (!report.refused().isEmpty()) {
      throw report.refused().get(0).cause().orElseThrow();
    }
    options.print(ctx, report);
    return ExitCodes.OK;
  }

  private PluginManifest read(Context ctx) throws IOException, CatalogException {
    if (Files.size(manifestFile) > PluginManifest.MAX_BYTES) {
      throw new CatalogException(
          "expected a plugin manifest of at most "
              + PluginManifest.MAX_BYTES
              + " bytes in "
              + manifestFile
              + ", found "
              + Files.size(manifestFile));
    }
    Parsed<PluginManifest> parsed;
    try {
      parsed = PluginManifest.parse(Files.readAllBytes(manifestFile));
    } catch (CatalogException e) {
      throw new CatalogException(manifestFile + ": " + e.getMessage());
    }
    for (CatalogWarning w : parsed.warnings()) {
      ctx.err.println("warning: " + manifestFile + ": " + w);
    }
    ctx.err.flush();
    return parsed.value();
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
  }
}
