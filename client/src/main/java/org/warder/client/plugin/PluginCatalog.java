package org.warder.client.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.warder.client.ClientException;
import org.warder.client.progress.Reporter;
import org.warder.index.CatalogException;
import org.warder.index.Parsed;
import org.warder.index.PluginIndex;
import org.warder.index.PluginManifest;
import org.warder.signing.Digests;
import org.warder.signing.tuf.ChunkHashes;
import org.warder.signing.tuf.FetchStatusException;
import org.warder.signing.tuf.FetchTooLargeException;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.TargetNotFoundException;
import org.warder.signing.tuf.TufException;
import org.warder.signing.tuf.Updater;

/**
 * The plugins a registry publishes, read only through verified TUF targets: for every delegated
 * role {@code plugins-P} reachable from the top-level targets role and published, the signed {@code
 * plugins/P/INDEX}; for a plugin, its signed manifest and git bundle (naming in {@link
 * PluginTargets}). Every document is downloaded into the cache directory under its sha256 and
 * checked for the signed length and hashes before it is read; a cached copy is re-checked. The
 * trusted metadata is refreshed once, on first use.
 *
 * <p>One publisher cannot break the others: a role whose metadata fails verification, or whose
 * INDEX is missing its {@code custom}, cannot be downloaded or is not a valid INDEX, is reported as
 * a warning naming the role and why, and left out; the other publishers' plugins are listed and
 * resolved as usual. Not thread-safe.
 */
public final class PluginCatalog {
  private final Updater updater;
  private final List<URI> targetMirrors;
  private final Path cache;
  private final Reporter warnings;
  private @Nullable Map<String, PluginIndex> indexes;

  /**
   * @param updater the repository's TUF updater
   * @param targetMirrors base URLs of its targets, tried in order
   * @param cache where verified targets are kept, by sha256 ({@code <root>/repos/<name>/cache})
   * @param warnings where a publisher's role left out is reported, one line each
   */
  public PluginCatalog(Updater updater, List<URI> targetMirrors, Path cache, Reporter warnings) {
    this.updater = updater;
    this.targetMirrors = List.copyOf(targetMirrors);
    this.cache = cache;
    this.warnings = warnings;
  }

  /** Every published plugin of every publisher, sorted by id, then publisher. */
  public List<PluginListing> list() throws IOException, TufException, PluginException {
    List<PluginListing> all = new ArrayList<>();
    indexes()
        .forEach(
            (publisher, index) ->
                index
                    .entries()
                    .forEach((id, entry) -> all.add(new PluginListing(publisher, id, entry))));
    all.sort(
        Comparator.comparing((PluginListing l) -> l.id().toLowerCase(Locale.ROOT))
            .thenComparing(PluginListing::id)
            .thenComparing(PluginListing::publisher));
    return all;
  }

  /**
   * The plugin {@code name} ({@code id}, or {@code P/id} when several publishers have that id) with
   * its verified manifest and the signed description of its bundle.
   */
  public ResolvedPlugin resolve(String name) throws IOException, TufException, PluginException {
    int slash = name.indexOf('/');
    Optional<String> publisher =
        slash < 0
            ? Optional.empty()
            : Optional.of(PluginTargets.checkPublisher(name.substring(0, slash)));
    String id = PluginTargets.checkId(name.substring(slash + 1));
    List<PluginListing> found = new ArrayList<>();
    for (Map.Entry<String, PluginIndex> index : indexes().entrySet()) {
      if (publisher.isEmpty() || publisher.get().equals(index.getKey())) {
        index
            .getValue()
            .entry(id)
            .ifPresent(e -> found.add(new PluginListing(index.getKey(), id, e)));
      }
    }
    if (found.isEmpty()) {
      throw new PluginNotFoundException(
          "expected a plugin "
              + PluginTargets.quote(name)
              + " in the signed INDEX of "
              + (publisher.isPresent()
                  ? "publisher " + publisher.get()
                  : "any publisher (" + String.join(", ", indexes().keySet()) + ")")
              + ", found none"
              + similar(id)
              + "; 'warder list -PR' shows what is published");
    }
    if (found.size() > 1) {
      throw new PluginException(
          ClientException.Reason.CONFLICT,
          "expected one publisher of plugin "
              + PluginTargets.quote(id)
              + ", found "
              + found.size()
              + ": "
              + String.join(", ", found.stream().map(PluginListing::qualifiedId).toList())
              + "; name one as PUBLISHER/"
              + id);
    }
    return resolve(found.get(0));
  }

  /**
   * Hands the bytes of {@code plugin}'s artifact bundle to {@code verified}, each only once it is
   * verified: when the bundle's chunk hashes are signed, chunk by chunk while it downloads (a copy
   * in the cache is checked chunk by chunk as it is handed on, and only what fails is fetched);
   * otherwise the whole file once it matched (a copy in the cache that matches is handed on as it
   * is). Returns once the whole bundle matched its signed length and sha256; the verified copy is
   * then in the cache. Pass the bytes with {@code plugin.manifest().artifactRef()} to {@link
   * ArtifactCheckout#checkout}, which checks their sha256 and length again ({@link #bundleCheck}).
   */
  public void bundle(ResolvedPlugin plugin, OutputStream verified)
      throws IOException, TufException, PluginException {
    TargetFile target = bundleTarget(plugin);
    Path file = cacheFile(target);
    if (ChunkHashes.of(target).isEmpty() && updater.findCached(target, file).isPresent()) {
      try (InputStream in = Files.newInputStream(file)) {
        in.transferTo(verified);
      }
      return;
    }
    updater.download(target, targetMirrors, file, verified);
  }

  /**
   * What the bytes handed on by {@link #bundle(ResolvedPlugin, OutputStream)} must be: the signed
   * bundle's sha256 and length (a cached copy could change while it is read).
   */
  public static ArtifactCheckout.WholeBundleCheck bundleCheck(ResolvedPlugin plugin)
      throws PluginException {
    TargetFile target = bundleTarget(plugin);
    return (sha256, length) -> {
      if (!sha256.equals(target.sha256().orElse("")) || length != target.length()) {
        throw new ArtifactBundleException(
            "expected the signed bundle "
                + target.path()
                + " ("
                + target.length()
                + " bytes, sha256 "
                + target.sha256().orElse("?")
                + "), found "
                + length
                + " bytes with sha256 "
                + sha256
                + "; nothing was checked out, run the command again");
      }
    };
  }

  private static TargetFile bundleTarget(ResolvedPlugin plugin) throws PluginException {
    return plugin
        .bundle()
        .orElseThrow(
            () ->
                new CatalogInconsistencyException(
                    "expected an artifact"
                        + " bundle for plugin "
                        + plugin.qualifiedId()
                        + ", found none: the plugin has no artifact"));
  }

  private ResolvedPlugin resolve(PluginListing listing)
      throws IOException, TufException, PluginException {
    String prefix = PluginTargets.pluginPrefix(listing.publisher(), listing.id());
    String manifestPath =
        listing
            .entry()
            .manifestTarget()
            .orElseThrow(
                () ->
                    new CatalogInconsistencyException(
                        "expected manifest_target in the INDEX entry of "
                            + listing.qualifiedId()
                            + ", found none; the publisher"
                            + " must publish it with 'warder publish plugin'"));
    if (!manifestPath.startsWith(prefix) || !manifestPath.endsWith("/manifest.json")) {
      throw new CatalogInconsistencyException(
          "expected the manifest of "
              + listing.qualifiedId()
              + " at "
              + prefix
              + "<revision>/manifest.json, found manifest_target "
              + manifestPath
              + "; refusing a plugin that points"
              + " outside its own targets");
    }
    TargetFile manifestTarget = updater.targetInfo(manifestPath);
    PluginTargets.checkKind(manifestTarget, PluginTargets.KIND_MANIFEST);
    checkCustom(manifestTarget, "id", listing.id());
    byte[] bytes = verifiedBytes(manifestTarget, PluginManifest.MAX_BYTES);
    Parsed<PluginManifest> parsed;
    try {
      parsed = PluginManifest.parse(bytes);
    } catch (CatalogException e) {
      throw new CatalogInconsistencyException(
          "signed manifest " + manifestPath + " is not valid: " + e.getMessage(), e);
    }
    PluginManifest manifest = parsed.value();
    if ((!manifest.artifact().isEmpty() || manifest.artifactBundle().isPresent())
        && manifest.artifactRef().isEmpty()) {
      throw new CatalogInconsistencyException(
          "expected artifact_ref (the pinned commit) in "
              + manifestPath
              + ", found an artifact without one; warder never installs a moving branch");
    }
    Optional<TargetFile> bundle = Optional.empty();
    if (manifest.artifactBundle().isPresent()) {
      String bundlePath = manifest.artifactBundle().get();
      if (!bundlePath.startsWith(prefix)) {
        throw new CatalogInconsistencyException(
            "expected the artifact bundle of "
                + listing.qualifiedId()
                + " under "
                + prefix
                + ", found artifact_bundle "
                + bundlePath);
      }
      TargetFile target = updater.targetInfo(bundlePath);
      PluginTargets.checkKind(target, PluginTargets.KIND_ARTIFACT);
      checkCustom(target, "commit", manifest.artifactRef().orElseThrow());
      bundle = Optional.of(target);
    }
    return new ResolvedPlugin(
        listing.publisher(),
        listing.id(),
        listing.entry(),
        manifestTarget,
        bytes,
        manifest,
        parsed.warnings(),
        bundle);
  }

  private Map<String, PluginIndex> indexes() throws IOException, TufException, PluginException {
    if (indexes != null) {
      return indexes;
    }
    updater.refresh();
    Map<String, PluginIndex> found = new TreeMap<>();
    for (String role : updater.delegatedRoleNames()) {
      Optional<String> publisher = PluginTargets.publisherOf(role);
      if (publisher.isEmpty()) {
        continue; // not a plugin publisher
      }
      try {
        index(role, publisher.get()).ifPresent(index -> found.put(publisher.get(), index));
      } catch (TufException | PluginException | FetchStatusException | FetchTooLargeException e) {
        warnings.warning(
            "left out the plugins of publisher "
                + publisher.get()
                + " (role "
                + role
                + "): "
                + e.getMessage());
      }
    }
    indexes = found;
    return found;
  }

  /**
   * The verified INDEX of {@code publisher}, unless its role is delegated but unpublished or has no
   * INDEX yet.
   */
  private Optional<PluginIndex> index(String role, String publisher)
      throws IOException, TufException, PluginException {
    if (updater.roleMetadata(role).isEmpty()) {
      return Optional.empty(); // delegated but never published
    }
    TargetFile target;
    try {
      target = updater.targetInfo(PluginTargets.index(publisher));
    } catch (TargetNotFoundException e) {
      return Optional.empty(); // published, but no INDEX yet
    }
    PluginTargets.checkKind(target, PluginTargets.KIND_INDEX);
    try {
      return Optional.of(PluginIndex.parse(verifiedBytes(target, PluginIndex.MAX_BYTES)).value());
    } catch (CatalogException e) {
      throw new CatalogInconsistencyException(
          "signed " + target.path() + " is not a valid INDEX: " + e.getMessage(), e);
    }
  }

  private String similar(String id) throws IOException, TufException, PluginException {
    List<String> near = new ArrayList<>();
    indexes()
        .forEach(
            (p, index) ->
                index.entries().keySet().stream()
                    .filter(k -> k.equalsIgnoreCase(id))
                    .forEach(k -> near.add(p + "/" + k)));
    return near.isEmpty() ? "" : " (did you mean " + String.join(", ", near) + "?)";
  }

  private static void checkCustom(TargetFile target, String field, String expected)
      throws CatalogInconsistencyException {
    String found =
        target
            .custom()
            .map(c -> c.path(field))
            .filter(JsonNode::isTextual)
            .map(JsonNode::textValue)
            .orElse("none");
    if (!found.equals(expected)) {
      throw new CatalogInconsistencyException(
          "target "
              + target.path()
              + ": expected custom."
              + field
              + " "
              + expected
              + ", found "
              + found
              + "; refusing a plugin whose signed documents disagree");
    }
  }

  private byte[] verifiedBytes(TargetFile target, int max)
      throws IOException, TufException, PluginException {
    if (target.length() > max) {
      throw new CatalogInconsistencyException(
          "expected at most "
              + max
              + " bytes for "
              + target.path()
              + ", found a signed length of "
              + target.length()
              + "; refusing to download it");
    }
    byte[] bytes = Files.readAllBytes(verifiedFile(target));
    if (!Digests.sha256Hex(bytes).equals(target.sha256().orElseThrow())) {
      throw new IOException(
          "cached " + target.path() + " changed while it was read; run the command again");
    }
    return bytes;
  }

  private Path verifiedFile(TargetFile target) throws IOException, TufException, PluginException {
    Path file = cacheFile(target);
    if (updater.findCached(target, file).isEmpty()) {
      updater.download(target, targetMirrors, file);
    }
    return file;
  }

  /** Where the verified copy of {@code target} is kept: the cache, named by its sha256. */
  private Path cacheFile(TargetFile target) throws CatalogInconsistencyException {
    String sha256 = target.sha256().orElse("none");
    if (!sha256.matches("[0-9a-f]{64}")) {
      // it becomes a file name in the cache
      throw new CatalogInconsistencyException(
          "expected a sha256 of 64 lower-case hex digits for target "
              + target.path()
              + ", found "
              + PluginTargets.quote(sha256));
    }
    return cache.resolve(sha256);
  }
}
