package org.warder.client.team;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
import org.warder.client.bundle.BadBundleException;
import org.warder.client.bundle.BundleException;
import org.warder.client.bundle.JailExporter;
import org.warder.client.bundle.JailImporter;
import org.warder.client.fetch.DownloadPipe;
import org.warder.client.jail.Jail;
import org.warder.client.jail.JailException;
import org.warder.client.jail.JailStore;
import org.warder.client.jail.props.Consent;
import org.warder.client.layout.HostLayout;
import org.warder.client.progress.Reporter;
import org.warder.client.publish.Destination;
import org.warder.client.publish.PublishPermission;
import org.warder.client.publish.RegistryApiException;
import org.warder.client.storage.Snapshots;
import org.warder.client.storage.Storage;
import org.warder.index.BundleManifest.Compression;
import org.warder.index.BundleManifest.Format;
import org.warder.signing.PrivateFiles;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.ChunkHashes;
import org.warder.signing.tuf.TufException;

/**
 * Moves jails and templates between hosts through a registry: {@code push} exports a local jail or
 * template to a bundle and publishes it as a tag of a team's delegated role (a template's new tag
 * holds only the difference against the newest published tag this host holds); {@code pull}
 * downloads a jail's tag (verified by the TUF metadata) and imports it; {@link #template} keeps a
 * team's template as a local read-only template, fetching only the tags it lacks (the chain back to
 * a tag it holds, or to a full bundle), so that jails are cloned from it afterwards.
 *
 * <p>A local copy of team template {@code T/N} is the template {@code T_N}; its tags are ZFS
 * snapshots {@code tag-TAG} of its root, or with directories the one tag its tree holds (its {@code
 * remote_tag}). Not thread-safe.
 */
public final class BundleSync {
  private static final String TAG_SNAPSHOT = "tag-";

  private final HostLayout layout;
  private final Storage storage;
  private final JailStore store;
  private final JailExporter exporter;
  private final JailImporter importer;
  private final Reporter reporter;

  public BundleSync(
      HostLayout layout,
      Storage storage,
      JailStore store,
      JailExporter exporter,
      JailImporter importer,
      Reporter reporter) {
    this.layout = layout;
    this.storage = storage;
    this.store = store;
    this.exporter = exporter;
    this.importer = importer;
    this.reporter = reporter;
  }

  /**
   * What to push.
   *
   * @param local the local jail or template
   * @param as the team and name to publish as; empty: where the template was pulled from
   * @param tag the new tag; empty: one more than the highest numeric published tag
   * @param format empty: zfs on ZFS storage, tar otherwise
   * @param full a full bundle even when a published tag is held here
   * @param live a running jail from a ZFS snapshot
   */
  public record PushRequest(
      String local,
      Optional<BundleRef> as,
      Optional<String> tag,
      Optional<Format> format,
      Compression compression,
      boolean full,
      boolean live) {}

  /** The snapshot of a template's root that holds tag {@code tag}. */
  public static String snapshotOf(String tag) {
    return TAG_SNAPSHOT + tag;
  }

  /**
   * A push with every decision taken: the local jail or template, what it is published as (team,
   * name, tag), the bundle's format and, for a template's difference, the published tag it is the
   * difference since.
   */
  public record PushPlan(
      Jail jail,
      BundleKind kind,
      BundleRef as,
      String tag,
      Format format,
      Optional<String> base,
      Optional<Snapshots> tagged) {
    /** What the push would export and upload, one line each: the {@code --dry-run} output. */
    public List<String> describe() {
      String snapshot = snapshotOf(tag);
      List<String> lines = new ArrayList<>();
      tagged.ifPresent(
          s -> lines.add("snapshot: " + jail.rootName() + "@" + snapshot + " (the tag's content)"));
      lines.add(
          "export: "
              + kind.noun()
              + " "
              + jail.name()
              + " as a "
              + format.name().toLowerCase(Locale.ROOT)
              + " bundle"
              + base.map(b -> ", the difference since tag " + b).orElse(", full"));
      lines.add(
          "upload: "
              + as.team()
              + "/"
              + as.name()
              + " tag "
              + tag
              + base.map(b -> " (base tag " + b + ")").orElse(" (no base tag)")
              + ", signed into role "
              + TeamTargets.role(as.team()));
      return lines;
    }
  }

  /** Pushes a jail or template to repository {@code repo}. */
  public BundlePublisher.Publication push(
      String repo,
      PushRequest request,
      RemoteBundles remote,
      Destination to,
      BundlePublisher publisher)
      throws ClientException,
          BundleException,
          JailException,
          IOException,
          InterruptedException,
          TufException,
          TeamBundleException,
          SigningException,
          RegistryApiException {
    return push(repo, request, planPush(repo, request, remote, to), to, publisher);
  }

  /**
   * Takes every decision of a push and makes the checks made before anything is exported (the
   * reference, a new tag, the token's role and the key's delegation); changes nothing.
   */
  public PushPlan planPush(String repo, PushRequest request, RemoteBundles remote, Destination to)
      throws ClientException,
          JailException,
          IOException,
          InterruptedException,
          TufException,
          TeamBundleException,
          RegistryApiException {
    Jail jail = store.get(request.local());
    BundleKind kind = jail.template() ? BundleKind.TEMPLATE : BundleKind.JAIL;
    BundleRef as =
        request
            .as()
            .or(() -> pulledFrom(jail, repo))
            .orElseThrow(
                () ->
                    new InvalidBundleReferenceException(
                        "expected --as TEAM/NAME: "
                            + jail.name()
                            + " was not pulled from repository "
                            + repo));
    TeamTargets.checkTeam(as.team());
    TeamTargets.checkName(as.name());
    List<RemoteBundle> published = published(remote, kind, as);
    String tag = request.tag().orElseGet(() -> nextTag(published));
    TeamTargets.checkTag(tag);
    if (published.stream().anyMatch(b -> b.spec().tag().equals(tag))) {
      throw new TagAlreadyPublishedException(
          "expected a new tag for "
              + kind.noun()
              + " "
              + as.team()
              + "/"
              + as.name()
              + ", found tag "
              + tag
              + " published already; published tags never change, push with another"
              + " --tag (or none for the next number)");
    }
    // the token's role and the key's delegation, before a snapshot is taken or a byte exported
    PublishPermission.check(
        to,
        TeamTargets.role(as.team()),
        as.team() + ".pub.json",
        TeamTargets.delegatedPaths(as.team()));
    Optional<Snapshots> snapshots = storage.snapshots();
    Format format = request.format().orElse(snapshots.isPresent() ? Format.ZFS : Format.TAR);
    Optional<String> base =
        kind == BundleKind.TEMPLATE && !request.full()
            ? heldBase(jail, published, format)
            : Optional.empty();
    String snapshot = snapshotOf(tag);
    // a template's tag is a snapshot of its root where the storage has snapshots
    Optional<Snapshots> tagged = snapshots.filter(s -> kind == BundleKind.TEMPLATE);
    if (tagged.isPresent()) {
      if (tagged.get().list(jail.rootName()).contains(snapshot)) {
        throw new TagAlreadyPublishedException(
            "expected a new tag for "
                + jail.name()
                + ", found its snapshot "
                + snapshot
                + " (tag "
                + tag
                + " was pushed or pulled here already); push with another --tag");
      }
    }
    return new PushPlan(jail, kind, as, tag, format, base, tagged);
  }

  private BundlePublisher.Publication push(
      String repo, PushRequest request, PushPlan plan, Destination to, BundlePublisher publisher)
      throws ClientException,
          BundleException,
          JailException,
          IOException,
          InterruptedException,
          TufException,
          TeamBundleException,
          SigningException,
          RegistryApiException {
    Jail jail = plan.jail();
    BundleKind kind = plan.kind();
    BundleRef as = plan.as();
    String tag = plan.tag();
    Format format = plan.format();
    Optional<String> base = plan.base();
    Optional<Snapshots> tagged = plan.tagged();
    String snapshot = snapshotOf(tag);
    if (tagged.isPresent()) {
      tagged.get().snapshot(jail.rootName(), snapshot);
    }
    boolean done = false;
    PrivateFiles.createDirectories(layout.images());
    Path file = Files.createTempFile(layout.images(), ".push-", ".warder.tar"); // 0600
    try {
      JailExporter.Options options =
          kind == BundleKind.TEMPLATE
              ? new JailExporter.Options(
                  Optional.of(format),
                  request.compression(),
                  false,
                  Optional.of(snapshot),
                  base.map(BundleSync::snapshotOf))
              : JailExporter.Options.full(
                  Optional.of(format), request.compression(), request.live());
      try (FileChannel channel =
          FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        exporter.export(request.local(), options, channel);
      }
      BundleSpec spec =
          new BundleSpec(
              kind,
              as.team(),
              as.name(),
              tag,
              jail.release().replaceFirst("-p\\d+$", ""),
              format,
              base);
      BundlePublisher.Publication publication = publisher.publish(spec, file, to);
      reporter.info(
          (publication.outcome() == BundlePublisher.Outcome.PUBLISHED
                  ? "pushed "
                  : "already published: ")
              + kind.noun()
              + " "
              + jail.name()
              + " as "
              + spec.reference()
              + base.map(b -> " (the difference since tag " + b + ")").orElse(" (full)")
              + ": "
              + publication.length()
              + " bytes, "
              + TeamTargets.role(as.team())
              + " version "
              + publication.roleVersion());
      if (kind == BundleKind.TEMPLATE) {
        store.save(
            new Jail(
                jail.name(),
                jail.props()
                    .withIdentity(
                        Map.of(
                            "remote", repo + ":" + as.team() + "/" + as.name(), "remote_tag", tag)),
                true));
      }
      done = true;
      return publication;
    } catch (org.warder.client.jail.props.PropertyException e) {
      throw new JailException(String.valueOf(e.getMessage()), e);
    } finally {
      Files.deleteIfExists(file);
      if (tagged.isPresent() && !done) {
        tagged.get().destroySnapshot(jail.rootName(), snapshot);
      }
    }
  }

  /** Where a pulled template came from, when it was {@code repo}. */
  private static Optional<BundleRef> pulledFrom(Jail jail, String repo) {
    return jail.props()
        .identity("remote")
        .filter(r -> r.startsWith(repo + ":"))
        .flatMap(
            r -> {
              try {
                return Optional.of(BundleRef.parse(r));
              } catch (TeamBundleException e) {
                return Optional.empty();
              }
            });
  }

  private static List<RemoteBundle> published(RemoteBundles remote, BundleKind kind, BundleRef as)
      throws IOException, TufException, TeamBundleException {
    return remote.list(kind).stream()
        .filter(b -> b.spec().team().equals(as.team()) && b.spec().name().equals(as.name()))
        .toList();
  }

  /** One more than the highest numeric tag published; 1 for the first. */
  private static String nextTag(List<RemoteBundle> published) {
    long max =
        published.stream()
            .map(b -> b.spec().tag())
            .filter(t -> t.matches("\\d{1,18}"))
            .mapToLong(Long::parseLong)
            .max()
            .orElse(0);
    return Long.toString(max + 1);
  }

  /** The newest published tag this host holds for the next one to build on (same format). */
  private Optional<String> heldBase(Jail template, List<RemoteBundle> published, Format format)
      throws IOException, InterruptedException {
    Set<String> held = heldTags(template);
    return published.stream()
        .filter(b -> b.spec().format() == format && held.contains(b.spec().tag()))
        .max(Comparator.comparing(RemoteBundle::published))
        .map(b -> b.spec().tag());
  }

  /**
   * The tags a template holds: its tag snapshots on ZFS; with directories, its recorded tag whose
   * index is kept.
   */
  private Set<String> heldTags(Jail template) throws IOException, InterruptedException {
    Set<String> held = new LinkedHashSet<>();
    Optional<Snapshots> snapshots = storage.snapshots();
    if (snapshots.isPresent()) {
      for (String s : snapshots.get().list(template.rootName())) {
        if (s.startsWith(TAG_SNAPSHOT)) {
          held.add(s.substring(TAG_SNAPSHOT.length()));
        }
      }
    } else {
      template
          .props()
          .identity("remote_tag")
          .filter(t -> Files.isRegularFile(layout.tagIndex(template.storageName(), snapshotOf(t))))
          .ifPresent(held::add);
    }
    return held;
  }

  /**
   * A team template at the tag {@code ref} names (the newest without one), kept as a local
   * read-only template and brought to that tag with the fewest downloads. Returns the template and
   * the snapshot of its root that holds the tag (on ZFS; with directories its tree is it).
   */
  public record LocalTemplate(
      Jail template, String tag, Optional<String> snapshot, Map<String, String> identity) {}

  /**
   * Gets team template {@code ref} of repository {@code repo} onto this host; its config values
   * that act on the host or weaken the jail only when {@code consent} names them.
   */
  public LocalTemplate template(String repo, BundleRef ref, RemoteBundles remote, Consent consent)
      throws BundleException,
          JailException,
          IOException,
          InterruptedException,
          TufException,
          TeamBundleException {
    RemoteBundle wanted = remote.resolve(ref, BundleKind.TEMPLATE);
    String name = localName(ref);
    String origin = repo + ":" + ref.team() + "/" + ref.name();
    Optional<Jail> local = store.find(name);
    if (local.isPresent()
        && (!local.get().template()
            || !local.get().props().identity("remote").equals(Optional.of(origin)))) {
      throw new BundleException(
          Reason.CONFLICT,
          "a jail or template named "
              + name
              + " exists here and is not the copy of "
              + origin
              + "; rename or destroy it to use that template");
    }
    Set<String> held = local.isPresent() ? heldTags(local.get()) : Set.of();
    List<RemoteBundle> chain =
        remote.chain(
            new BundleRef(
                Optional.empty(), ref.team(), ref.name(), Optional.of(wanted.spec().tag())),
            BundleKind.TEMPLATE,
            held);
    Map<String, String> identity = Map.of("remote", origin, "remote_tag", wanted.spec().tag());
    for (RemoteBundle b : chain) {
      Map<String, String> id = Map.of("remote", origin, "remote_tag", b.spec().tag());
      if (!b.spec().incremental() && local.isPresent()) {
        throw new BundleException(
            Reason.CONFLICT,
            "template "
                + name
                + " holds tag(s) "
                + String.join(", ", held)
                + " of "
                + origin
                + ", and tag "
                + b.spec().tag()
                + " is a full bundle that does not build on them; destroy "
                + name
                + " (and the jails made from it) to fetch it anew");
      }
      reporter.info(
          "fetching "
              + origin
              + ":"
              + b.spec().tag()
              + (b.spec().incremental()
                  ? " (the difference since tag " + b.spec().baseTag().get() + ")"
                  : " (full)")
              + ", "
              + b.length()
              + " bytes");
      local = Optional.of(apply(remote, b, name, local, id, consent));
    }
    Jail template =
        local.orElseThrow(
            () -> new BundleException(Reason.CONFLICT, "template " + name + " is gone"));
    if (chain.isEmpty()
        && storage.snapshots().isEmpty()
        && !template.props().identity("remote_tag").equals(Optional.of(wanted.spec().tag()))) {
      throw new BundleException(
          Reason.CONFLICT,
          "template "
              + name
              + " holds tag "
              + template.props().identity("remote_tag").orElse("?")
              + " of "
              + origin
              + "; with directory storage a template holds one tag: ask for that one");
    }
    Optional<String> snapshot = storage.snapshots().map(s -> snapshotOf(wanted.spec().tag()));
    return new LocalTemplate(template, wanted.spec().tag(), snapshot, identity);
  }

  /** Downloads (verified) and applies one bundle of a template chain, while it downloads. */
  private Jail apply(
      RemoteBundles remote,
      RemoteBundle bundle,
      String name,
      Optional<Jail> local,
      Map<String, String> identity,
      Consent consent)
      throws BundleException, JailException, IOException, InterruptedException, TufException {
    return receive(
        remote,
        bundle,
        (in, check) ->
            local.isPresent() && bundle.spec().incremental()
                ? importer.applyIncremental(in, local.get(), identity, consent, check).jail()
                : importer.importBundle(in, Optional.of(name), identity, consent, check).jail());
  }

  /**
   * Pulls jail {@code ref} of repository {@code repo} and imports it as {@code newName} (or its
   * name); its config values that act on the host or weaken the jail only when {@code consent}
   * names them.
   */
  public Jail pull(
      String repo, BundleRef ref, Optional<String> newName, RemoteBundles remote, Consent consent)
      throws BundleException,
          JailException,
          IOException,
          InterruptedException,
          TufException,
          TeamBundleException {
    RemoteBundle bundle = remote.resolve(ref, BundleKind.JAIL);
    reporter.info("fetching jail " + bundle.spec().reference() + ", " + bundle.length() + " bytes");
    return receive(
        remote,
        bundle,
        (in, check) ->
            importer
                .importBundle(
                    in,
                    newName.or(() -> Optional.of(ref.name())),
                    Map.of(
                        "remote",
                        repo + ":" + ref.team() + "/" + ref.name(),
                        "remote_tag",
                        bundle.spec().tag()),
                    consent,
                    check)
                .jail());
  }

  /**
   * What {@link #pull} would do, downloading no bundle (the repository's signed metadata may be
   * refreshed): the bundle it downloads as that metadata signs it, and the import's steps, the
   * local name checked free. bundle.json and the consent it needs are read only once the bundle is
   * here: {@code warder import --dry-run FILE} shows them.
   */
  public List<String> describePull(BundleRef ref, Optional<String> newName, RemoteBundles remote)
      throws BundleException,
          JailException,
          IOException,
          InterruptedException,
          TufException,
          TeamBundleException {
    RemoteBundle bundle = remote.resolve(ref, BundleKind.JAIL);
    String name = newName.orElse(ref.name());
    importer.checkName(name);
    Path file = pullFile(bundle);
    Optional<ChunkHashes> chunks = ChunkHashes.of(bundle.target());
    return List.of(
        "download: "
            + bundle.path()
            + " ("
            + bundle.length()
            + " bytes, sha256 "
            + bundle.sha256()
            + ", as the repository's signed metadata says) to "
            + file
            + chunks
                .map(
                    c ->
                        ", each of its "
                            + c.sha256().size()
                            + " chunks of "
                            + c.size()
                            + " bytes handed to the import once it matched its signed sha256")
                .orElse(", verified whole before the import"),
        "import: stage (receive and verify every member), promote and adopt it as "
            + name
            + ", as 'warder import --dry-run' lists them; then remove "
            + file);
  }

  /** Imports a bundle read from {@code in}, checked whole by {@code check} before it is kept. */
  @FunctionalInterface
  private interface BundleReader {
    Jail read(InputStream in, JailImporter.WholeBundleCheck check)
        throws BundleException, JailException, IOException, InterruptedException;
  }

  /**
   * Downloads {@code bundle} through the TUF updater and has {@code reader} import it. When its
   * chunk hashes are signed, the import reads it while it downloads, each chunk once it matched
   * (see {@link #whileDownloading}); a bundle published without them is downloaded and verified
   * whole first, as before. The downloaded file is removed either way.
   */
  private Jail receive(RemoteBundles remote, RemoteBundle bundle, BundleReader reader)
      throws BundleException, JailException, IOException, InterruptedException, TufException {
    PrivateFiles.createDirectories(layout.images());
    Path file = pullFile(bundle);
    try {
      if (ChunkHashes.of(bundle.target()).isPresent()) {
        return whileDownloading(remote, bundle, file, reader);
      }
      remote.download(bundle, file);
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
        return reader.read(in, signedBytes(bundle));
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * Imports {@code bundle} while it downloads into {@code file}: the download hands each chunk to
   * the import only once it matched its signed sha256, so neither bundle.json's parser nor {@code
   * zfs receive} nor the tar extraction ever reads a byte that was not verified. The import checks
   * every member as usual, and before anything is kept (the staging area promoted, an incremental
   * stream's snapshot kept) it waits for the download to have returned: the whole file matched its
   * signed length and sha256. A chunk that fails ends the stream the import reads; the import then
   * fails and removes what it staged, and the download's failure, naming the chunk, is what is
   * thrown. An import that fails on its own (a refused member, a name taken) stops the download.
   */
  private Jail whileDownloading(
      RemoteBundles remote, RemoteBundle bundle, Path file, BundleReader reader)
      throws BundleException, JailException, IOException, InterruptedException {
    DownloadPipe pipe =
        DownloadPipe.start(bundle.path(), verified -> remote.download(bundle, file, verified));
    try {
      return reader.read(
          new BufferedInputStream(pipe.input(), 1 << 16),
          (sha256, length) -> {
            Optional<Exception> failed = pipe.awaitDownload();
            if (failed.isPresent()) {
              throw new BadBundleException(
                  "the download of " + bundle.path() + " failed: " + failed.get().getMessage(),
                  failed.get());
            }
            signedBytes(bundle).check(sha256, length);
          });
    } catch (BundleException
        | JailException
        | IOException
        | InterruptedException
        | RuntimeException e) {
      // a failed download is what is reported, a verification failure refusing the bundle
      pipe.throwIfFailed(
          e,
          failed ->
              new BadBundleException(
                  "refusing "
                      + bundle.path()
                      + " as it downloaded: "
                      + failed.getMessage()
                      + "; nothing was imported",
                  failed));
      throw e; // the import's own failure: stopping the pipe stops the download
    } finally {
      pipe.stop();
    }
  }

  private Path pullFile(RemoteBundle bundle) {
    return layout.images().resolve(".pull-" + bundle.sha256() + ".warder.tar");
  }

  /**
   * The whole bundle must be the bytes the registry's metadata signs (the download checked them
   * already).
   */
  private static JailImporter.WholeBundleCheck signedBytes(RemoteBundle bundle) {
    return (sha256, length) -> {
      if (!sha256.equals(bundle.sha256()) || length != bundle.length()) {
        throw new BadBundleException(
            "expected the signed bundle "
                + bundle.path()
                + " (sha256 "
                + bundle.sha256()
                + "), found other bytes (sha256 "
                + sha256
                + "); nothing was imported");
      }
    };
  }

  /** The local name of team template {@code ref}: {@code TEAM_NAME}. */
  public static String localName(BundleRef ref) throws InvalidBundleNameException {
    String name = ref.team() + "_" + ref.name();
    if (name.length() > 64) {
      throw new InvalidBundleNameException(
          "expected TEAM_NAME of at most 64 characters for the local copy of "
              + ref.team()
              + "/"
              + ref.name()
              + ", found "
              + name.length());
    }
    return name;
  }
}
