package org.warder.client.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.warder.client.ClientException;
import org.warder.client.host.DirectoryTrees;
import org.warder.client.plugin.PluginException;
import org.warder.client.plugin.PluginTargets;
import org.warder.index.CatalogException;
import org.warder.index.CatalogWarning;
import org.warder.index.Parsed;
import org.warder.index.PluginIndex;
import org.warder.index.PluginManifest;

/**
 * Reads an iocage plugin index (a directory, or a git repository fetched with JGit, holding {@code
 * INDEX} and the manifests it names) into plugins to publish. A plugin whose manifest is missing or
 * invalid, or whose artifact repository is not found, is refused with its reason and the others are
 * kept: the plugins of an index are independent, and one dead artifact repository should not hold
 * back the rest. An INDEX that cannot be read refuses the whole import. Thread-safe (stateless).
 */
public final class PluginIndexImport {
  private static final Pattern REPO_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private PluginIndexImport() {}

  /**
   * What an index holds.
   *
   * @param sources the plugins to publish, in INDEX order
   * @param refused the plugins refused while reading, with their reasons
   * @param warnings what parsing normalised (iocage quirks), each prefixed with its file
   */
  public record Plan(
      List<PluginSource> sources, List<PluginPublisher.Outcome> refused, List<String> warnings) {}

  /** Reads one file of the index (a plain name beside INDEX), refused over {@code max} bytes. */
  @FunctionalInterface
  private interface IndexFiles {
    Optional<byte[]> read(String name, int max) throws IOException;
  }

  /**
   * Reads {@code source}: a directory (when {@code ref} is empty), else a git URL or local
   * repository at {@code ref} (default: its HEAD). With {@code artifacts}, each plugin's artifact
   * repository is {@code artifacts/<last segment of its artifact URL without .git>}; without, its
   * artifact URL.
   */
  public static Plan read(String source, Optional<String> ref, Optional<Path> artifacts)
      throws IOException, PluginException, CatalogException {
    Path dir = Path.of(source);
    if (ref.isEmpty() && Files.isDirectory(dir)) {
      return read(source, (name, max) -> readFile(dir.resolve(name), max), artifacts);
    }
    Path work = Files.createTempDirectory("warder-index-");
    try (ArtifactRepository repo = ArtifactRepository.fetch(source, work.resolve("index.git"))) {
      String commit = repo.resolve(ref);
      return read(
          repo.location() + " at " + commit,
          (name, max) -> repo.readFile(commit, name, max),
          artifacts);
    } finally {
      DirectoryTrees.delete(work);
    }
  }

  private static Plan read(String source, IndexFiles files, Optional<Path> artifacts)
      throws IOException, CatalogException {
    byte[] indexBytes =
        files
            .read("INDEX", PluginIndex.MAX_BYTES)
            .orElseThrow(
                () ->
                    new CatalogException(
                        "expected an iocage INDEX file in "
                            + source
                            + ", found none; point at the index's"
                            + " top directory"));
    Parsed<PluginIndex> index;
    try {
      index = PluginIndex.parse(indexBytes);
    } catch (CatalogException e) {
      throw new CatalogException("INDEX of " + source + ": " + e.getMessage());
    }
    List<String> warnings = new ArrayList<>();
    index.warnings().forEach(w -> warnings.add("INDEX: " + w));
    List<PluginSource> sources = new ArrayList<>();
    List<PluginPublisher.Outcome> refused = new ArrayList<>();
    for (var e : index.value().entries().entrySet()) {
      String id = e.getKey();
      PluginIndex.Entry entry = e.getValue();
      try {
        PluginTargets.checkId(id);
        byte[] bytes =
            files
                .read(entry.manifest(), PluginManifest.MAX_BYTES)
                .orElseThrow(
                    () ->
                        new CatalogException(
                            "expected the manifest "
                                + entry.manifest()
                                + " beside the INDEX in "
                                + source
                                + ", found none"));
        Parsed<PluginManifest> manifest;
        try {
          manifest = PluginManifest.parse(bytes);
        } catch (CatalogException ex) {
          throw new CatalogException(entry.manifest() + ": " + ex.getMessage());
        }
        for (CatalogWarning w : manifest.warnings()) {
          warnings.add(entry.manifest() + ": " + w);
        }
        Optional<String> location = Optional.empty();
        if (artifacts.isPresent() && !manifest.value().artifact().isEmpty()) {
          location =
              Optional.of(artifactDir(artifacts.get(), manifest.value().artifact()).toString());
        }
        sources.add(
            new PluginSource(
                id,
                manifest.value(),
                location,
                Optional.empty(),
                Optional.of(entry),
                IndexEntries.Fields.none()));
      } catch (CatalogException | PluginException ex) {
        refused.add(PluginPublisher.Outcome.refused(id, ex));
      }
    }
    return new Plan(sources, refused, warnings);
  }

  /** {@code artifacts/<name>} for artifact URL {@code .../<name>.git}. */
  static Path artifactDir(Path artifacts, String url) throws PluginException {
    String trimmed = url.replaceAll("/+$", "");
    String name = trimmed.substring(trimmed.lastIndexOf('/') + 1);
    if (name.endsWith(".git")) {
      name = name.substring(0, name.length() - 4);
    }
    if (!REPO_NAME.matcher(name).matches() || name.contains("..")) {
      throw new PluginException(
          ClientException.Reason.INVALID_INPUT,
          "expected the artifact URL "
              + url
              + " to end in a plain repository name,"
              + " found "
              + name
              + "; publish this plugin on its own with 'warder publish plugin --artifact-source'");
    }
    Path dir = artifacts.resolve(name);
    if (!Files.exists(dir)) {
      throw new PluginException(
          ClientException.Reason.INVALID_INPUT,
          "expected the artifact repository "
              + dir
              + " (named after "
              + url
              + "), found none; clone it there or leave out --artifact-source to fetch the URL");
    }
    return dir;
  }

  private static Optional<byte[]> readFile(Path file, int max) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    if (Files.size(file) > max) {
      throw new IOException(
          "expected at most " + max + " bytes in " + file + ", found " + Files.size(file));
    }
    return Optional.of(Files.readAllBytes(file));
  }
}
