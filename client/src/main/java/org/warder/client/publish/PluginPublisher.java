package org.warder.client.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.warder.client.ClientException;
import org.warder.client.host.DirectoryTrees;
import org.warder.client.plugin.ArtifactTree;
import org.warder.client.plugin.CatalogInconsistencyException;
import org.warder.client.plugin.PluginException;
import org.warder.client.plugin.PluginTargets;
import org.warder.client.progress.ProgressListener;
import org.warder.client.progress.Reporter;
import org.warder.index.CatalogException;
import org.warder.index.PluginIndex;
import org.warder.signing.Digests;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.FileDigest;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.Targets;

/**
 * Publishes plugins as publisher {@code P} in ONE new version of the role {@code plugins-P} (naming
 * in {@link PluginTargets}): each plugin's artifact repository is fetched, its ref resolved to a
 * commit ({@link PluginPreparer}), the commit's tree checked as a client will check it, and a git
 * bundle of it written; the bundles, the pinned manifests and the updated INDEX (the published one,
 * downloaded and verified, with each plugin's entry added or replaced) are uploaded; the role's
 * next version is signed here and submitted. A plugin that cannot be published is refused with its
 * reason and the others go on; {@code strict} publishes nothing when any is refused. Earlier
 * revisions stay published. A dry run does everything but the uploads and the submission, and
 * reports what they would have been. Not thread-safe.
 */
public final class PluginPublisher {
  private final Clock clock;
  private final Reporter out;
  private final ArtifactTree.Limits limits;

  public PluginPublisher(Clock clock, Reporter out, ArtifactTree.Limits limits) {
    this.clock = clock;
    this.out = out;
    this.limits = limits;
  }

  /** What became of one plugin. */
  public enum Status {
    PUBLISHED,
    UNCHANGED,
    REFUSED
  }

  /**
   * The outcome for one plugin.
   *
   * @param id the plugin id
   * @param status published, unchanged (the same revision and content are already published), or
   *     refused
   * @param detail the commit and revision, or the reason of a refusal
   * @param cause the refusal's exception
   */
  public record Outcome(String id, Status status, String detail, Optional<Exception> cause) {
    /** A refusal for {@code cause}. */
    public static Outcome refused(String id, Exception cause) {
      return new Outcome(
          id, Status.REFUSED, String.valueOf(cause.getMessage()), Optional.of(cause));
    }
  }

  /**
   * What a publication did.
   *
   * @param outcomes one per plugin, in input order
   * @param version the role version submitted (a dry run: that it would submit); empty when nothing
   *     was (would be)
   * @param actions every upload and the signing, one line each, in order: done, or for a dry run
   *     what would be done
   */
  public record Report(List<Outcome> outcomes, OptionalLong version, List<String> actions) {
    public Report {
      outcomes = List.copyOf(outcomes);
      actions = List.copyOf(actions);
    }

    /** The refused outcomes. */
    public List<Outcome> refused() {
      return outcomes.stream().filter(o -> o.status() == Status.REFUSED).toList();
    }
  }

  /**
   * Publishes {@code sources} as {@code publisher}; {@code earlier} are refusals made while the
   * sources were read (an imported INDEX), reported with the others and counted by {@code strict}.
   * With {@code dryRun}, nothing is uploaded or submitted.
   */
  public Report publish(
      String publisher,
      List<PluginSource> sources,
      List<Outcome> earlier,
      boolean strict,
      Destination to,
      boolean dryRun)
      throws IOException,
          PluginException,
          CatalogException,
          SigningException,
          RegistryApiException {
    PluginTargets.checkPublisher(publisher);
    String role = PluginTargets.role(publisher);
    to.updater().refresh();
    if (!to.updater().delegatedRoleNames().contains(role)) {
      throw new PluginException(
          ClientException.Reason.REFUSED,
          "expected the registry to delegate role "
              + role
              + ", found no such"
              + " delegation; ask its administrator to run: "
              + DelegatedRoles.delegateCommand(
                  role, publisher + ".pub.json", PluginTargets.delegatedPaths(publisher)));
    }
    Optional<Metadata<Targets>> current = to.updater().roleMetadata(role);
    Map<String, TargetFile> targets = new LinkedHashMap<>();
    current.ifPresent(m -> targets.putAll(m.signed().targets()));
    Path work = Files.createTempDirectory("warder-plugins-");
    Uploads uploads = new Uploads(to, dryRun);
    try {
      Optional<PluginIndex> published = publishedIndex(publisher, targets, to, work);
      PluginPreparer preparer =
          new PluginPreparer(publisher, targets, published, limits, work, out);
      List<Outcome> outcomes = new ArrayList<>(earlier);
      List<PluginPreparer.Prepared> ready = new ArrayList<>();
      for (PluginSource source : sources) {
        try {
          PluginPreparer.Prepared p = preparer.prepare(source);
          ready.add(p);
          outcomes.add(
              new Outcome(
                  p.id(),
                  p.unchanged() ? Status.UNCHANGED : Status.PUBLISHED,
                  p.describe(),
                  Optional.empty()));
        } catch (PluginException | CatalogException e) {
          outcomes.add(Outcome.refused(source.id(), e));
        }
      }
      boolean refused = outcomes.stream().anyMatch(o -> o.status() == Status.REFUSED);
      if (ready.isEmpty() || (strict && refused)) {
        return new Report(outcomes, OptionalLong.empty(), List.of());
      }
      Map<String, PluginIndex.Entry> entries =
          new LinkedHashMap<>(published.map(PluginIndex::entries).orElse(Map.of()));
      for (PluginPreparer.Prepared p : ready) {
        entries.put(p.id(), p.entry());
        upload(publisher, p, targets, uploads, work);
      }
      boolean changed = ready.stream().anyMatch(p -> !p.unchanged());
      if (!putIndex(publisher, new PluginIndex(entries), targets, uploads, work) && !changed) {
        out.info(
            "nothing changed: "
                + role
                + " stays at version "
                + current.map(m -> m.signed().version()).orElse(0L));
        return new Report(outcomes, OptionalLong.empty(), uploads.actions);
      }
      uploads.actions.add(DelegatedRoles.signLine(role, current));
      long version =
          dryRun
              ? DelegatedRoles.nextVersion(current)
              : DelegatedRoles.submitNextVersion(
                  role, current, targets, clock.instant(), to.signer(), to.registry());
      return new Report(outcomes, OptionalLong.of(version), uploads.actions);
    } finally {
      DirectoryTrees.delete(work);
    }
  }

  private Optional<PluginIndex> publishedIndex(
      String publisher, Map<String, TargetFile> targets, Destination to, Path work)
      throws IOException, SigningException, PluginException {
    TargetFile target = targets.get(PluginTargets.index(publisher));
    if (target == null) {
      return Optional.empty();
    }
    if (target.length() > PluginIndex.MAX_BYTES) {
      throw new CatalogInconsistencyException(
          "expected at most "
              + PluginIndex.MAX_BYTES
              + " bytes for the published "
              + target.path()
              + ", found a signed length of "
              + target.length());
    }
    Path file = work.resolve("published-INDEX");
    to.updater().download(target, to.targetMirrors(), file);
    try {
      return Optional.of(PluginIndex.parse(Files.readAllBytes(file)).value());
    } catch (CatalogException e) {
      throw new CatalogInconsistencyException(
          "the published "
              + target.path()
              + " is not a valid INDEX ("
              + e.getMessage()
              + "); publish it again with 'warder publish plugin-index'",
          e);
    }
  }

  /** The uploads of one publication, each recorded as a line; a dry run only records them. */
  private static final class Uploads {
    private final Destination to;
    private final boolean dryRun;
    private final List<String> actions = new ArrayList<>();

    Uploads(Destination to, boolean dryRun) {
      this.to = to;
      this.dryRun = dryRun;
    }

    void upload(Path file, String what, String path, String sha, long length, ProgressListener p)
        throws IOException, RegistryApiException {
      actions.add(DelegatedRoles.uploadLine(what, path, length, sha));
      if (!dryRun) {
        to.registry().upload(file, sha, length, p);
      }
    }
  }

  private void upload(
      String publisher,
      PluginPreparer.Prepared p,
      Map<String, TargetFile> targets,
      Uploads uploads,
      Path work)
      throws IOException, RegistryApiException {
    if (p.unchanged()) {
      return;
    }
    int revision = p.manifest().revision();
    if (p.bundle().isPresent()) {
      Path bundle = p.bundle().get();
      // one read for the sha256 and the chunk hashes, checked chunk by chunk as it downloads
      FileDigest digest = FileDigest.of(bundle);
      String path = PluginTargets.bundle(publisher, p.id(), revision);
      uploads.upload(
          bundle,
          "git bundle of " + p.id() + p.commit().map(c -> " at commit " + c).orElse(""),
          path,
          digest.sha256(),
          digest.length(),
          uploads.to.progress());
      targets.put(
          path,
          digest.target(
              path,
              PluginTargets.pluginCustom(
                  PluginTargets.KIND_ARTIFACT, publisher, p.id(), revision, p.commit())));
    }
    Path manifest = work.resolve(p.id() + ".manifest.json");
    Files.write(manifest, p.manifestBytes());
    String sha = Digests.sha256Hex(p.manifestBytes());
    String path = PluginTargets.manifest(publisher, p.id(), revision);
    uploads.upload(
        manifest,
        "manifest of " + p.id() + " revision " + revision,
        path,
        sha,
        p.manifestBytes().length,
        ProgressListener.NONE);
    targets.put(
        path,
        new TargetFile(
            path,
            p.manifestBytes().length,
            Map.of("sha256", sha),
            Optional.of(
                PluginTargets.pluginCustom(
                    PluginTargets.KIND_MANIFEST, publisher, p.id(), revision, p.commit()))));
  }

  /** Uploads and lists the new INDEX; false when it is the one already published. */
  private boolean putIndex(
      String publisher,
      PluginIndex index,
      Map<String, TargetFile> targets,
      Uploads uploads,
      Path work)
      throws IOException, RegistryApiException {
    byte[] bytes = index.toJson();
    String sha = Digests.sha256Hex(bytes);
    String path = PluginTargets.index(publisher);
    TargetFile old = targets.get(path);
    if (old != null && old.sha256().orElse("").toLowerCase(Locale.ROOT).equals(sha)) {
      return false;
    }
    Path file = work.resolve("INDEX");
    Files.write(file, bytes);
    uploads.upload(
        file,
        "INDEX of " + index.entries().size() + " plugin(s)",
        path,
        sha,
        bytes.length,
        ProgressListener.NONE);
    targets.put(
        path,
        new TargetFile(
            path,
            bytes.length,
            Map.of("sha256", sha),
            Optional.of(PluginTargets.indexCustom(publisher))));
    return true;
  }
}
