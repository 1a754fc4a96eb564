package org.warder.client.publish;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.plugin.ArtifactTree;
import org.warder.client.plugin.PluginException;
import org.warder.client.plugin.PluginTargets;
import org.warder.client.progress.Reporter;
import org.warder.index.CatalogException;
import org.warder.index.PluginIndex;
import org.warder.index.PluginManifest;
import org.warder.signing.Digests;
import org.warder.signing.tuf.TargetFile;

/**
 * Turns one {@link PluginSource} into what gets uploaded: the artifact's ref resolved to a commit
 * (and checked against the manifest's own {@code artifact_ref}), the commit's tree checked, a git
 * bundle of it, the manifest pinned to the commit and the bundle's target, and its INDEX entry. A
 * published revision never changes: the same revision with other content is refused. Not
 * thread-safe.
 */
final class PluginPreparer {
  private final String publisher;
  private final Map<String, TargetFile> published;
  private final Optional<PluginIndex> index;
  private final ArtifactTree.Limits limits;
  private final Path work;
  private final Reporter out;

  /**
   * One plugin ready to upload.
   *
   * @param unchanged the same revision and content are already published: nothing to upload
   */
  @SuppressWarnings("ArrayRecordComponent") // the manifest as signed, read once, never compared
  record Prepared(
      String id,
      PluginManifest manifest,
      byte[] manifestBytes,
      Optional<Path> bundle,
      Optional<String> commit,
      PluginIndex.Entry entry,
      boolean unchanged) {
    String describe() {
      return "revision "
          + manifest.revision()
          + ", "
          + commit.map(c -> "commit " + c).orElse("no artifact")
          + (unchanged ? " (already published)" : "");
    }
  }

  PluginPreparer(
      String publisher,
      Map<String, TargetFile> published,
      Optional<PluginIndex> index,
      ArtifactTree.Limits limits,
      Path work,
      Reporter out) {
    this.publisher = publisher;
    this.published = published;
    this.index = index;
    this.limits = limits;
    this.work = work;
    this.out = out;
  }

  Prepared prepare(PluginSource source) throws IOException, PluginException, CatalogException {
    String id = PluginTargets.checkId(source.id());
    for (String other : index.map(i -> i.entries().keySet()).orElse(java.util.Set.of())) {
      if (other.equalsIgnoreCase(id) && !other.equals(id)) {
        throw new PluginException(
            ClientException.Reason.INVALID_INPUT,
            "expected a plugin id that differs from the published "
                + other
                + " in more than letter case, found "
                + id
                + "; publish it as "
                + other
                + " or choose another id");
      }
    }
    PluginManifest manifest = source.manifest();
    int revision = manifest.revision();
    String manifestPath = PluginTargets.manifest(publisher, id, revision);
    Optional<String> location =
        source
            .artifactLocation()
            .or(
                () ->
                    manifest.artifact().isEmpty()
                        ? Optional.empty()
                        : Optional.of(manifest.artifact()));
    if (location.isEmpty()) {
      if (manifest.artifactRef().isPresent() || source.ref().isPresent()) {
        throw new PluginException(
            ClientException.Reason.INVALID_INPUT,
            "expected an artifact repository to take the pinned commit of "
                + id
                + " from, found no artifact URL and no --artifact-source; pass --artifact-source PATH");
      }
      byte[] bytes = manifest.toJson();
      return new Prepared(
          id,
          manifest,
          bytes,
          Optional.empty(),
          Optional.empty(),
          entry(id, manifest, source, manifestPath),
          unchanged(manifestPath, bytes, Optional.empty()));
    }
    try (ArtifactRepository repo =
        ArtifactRepository.fetch(location.get(), work.resolve(id + ".git"))) {
      String commit = repo.resolve(source.ref().or(manifest::artifactRef));
      checkPin(id, manifest, source.ref(), commit);
      repo.check(commit, limits);
      String bundlePath = PluginTargets.bundle(publisher, id, revision);
      PluginManifest pinned = manifest.withArtifactPin(commit, Optional.of(bundlePath));
      byte[] bytes = pinned.toJson();
      boolean unchanged = unchanged(manifestPath, bytes, Optional.of(bundlePath));
      Optional<Path> bundle = Optional.empty();
      if (!unchanged) {
        bundle = Optional.of(work.resolve(id + ".bundle"));
        repo.writeBundle(commit, bundle.get());
      }
      return new Prepared(
          id,
          pinned,
          bytes,
          bundle,
          Optional.of(commit),
          entry(id, pinned, source, manifestPath),
          unchanged);
    }
  }

  /**
   * The manifest's own pin must be what is published, unless the full commit id replaces it
   * explicitly.
   */
  private void checkPin(String id, PluginManifest manifest, Optional<String> ref, String commit)
      throws PluginException {
    Optional<String> pin = manifest.artifactRef();
    if (pin.isEmpty() || pin.get().equals(commit)) {
      return;
    }
    if (ref.isPresent() && ref.get().equalsIgnoreCase(commit)) {
      out.info(id + ": artifact_ref " + pin.get() + " replaced by " + commit + " (--artifact-ref)");
      return;
    }
    throw new PluginException(
        ClientException.Reason.REFUSED,
        "expected "
            + ref.map(r -> "--artifact-ref " + r).orElse("the ref")
            + " to resolve to the manifest's artifact_ref "
            + pin.get()
            + ", found commit "
            + commit
            + " (plugin "
            + id
            + "); to pin that commit instead, pass --artifact-ref "
            + commit);
  }

  private PluginIndex.Entry entry(
      String id, PluginManifest manifest, PluginSource source, String manifestPath)
      throws CatalogException {
    PluginIndex.Entry entry =
        IndexEntries.entry(
            id,
            manifest,
            source.entry(),
            index.flatMap(i -> i.entry(id)),
            source.fields(),
            manifestPath);
    try {
      new PluginIndex(
          Map.of(id, entry)); // the INDEX's own rules, checked now rather than after uploads
    } catch (IllegalArgumentException e) {
      if (e.getCause() instanceof CatalogException c) {
        throw c;
      }
      throw e;
    }
    return entry;
  }

  /**
   * Whether exactly these bytes are published at {@code path}; refuses other bytes at the same
   * revision.
   */
  private boolean unchanged(String path, byte[] bytes, Optional<String> bundlePath)
      throws PluginException {
    TargetFile old = published.get(path);
    if (old == null) {
      return false;
    }
    String sha = Digests.sha256Hex(bytes);
    if (!old.sha256().orElse("").equals(sha)) {
      String oldCommit =
          old.custom()
              .map(c -> c.path("commit").asText(""))
              .filter(s -> !s.isEmpty())
              .map(c -> " (commit " + c + ")")
              .orElse("");
      throw new PluginException(
          ClientException.Reason.CONFLICT,
          "expected "
              + path
              + " to be new or unchanged, found it published with"
              + " sha256 "
              + old.sha256().orElse("?")
              + oldCommit
              + " where this manifest has "
              + sha
              + "; published revisions never change, raise \"revision\" in the manifest to publish a change");
    }
    return bundlePath.map(published::containsKey).orElse(true);
  }
}
