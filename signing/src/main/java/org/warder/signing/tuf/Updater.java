package org.warder.signing.tuf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.warder.signing.AtomicFiles;
import org.warder.signing.PrivateFiles;

/**
 * The TUF 1.0 client workflow (specification §5): root chain walk, timestamp, snapshot, targets,
 * depth-first delegation search, and verified target downloads. Metadata and targets are fetched
 * through a {@link Fetcher} from a list of mirrors tried in order; trusted metadata is persisted as
 * the bytes received, only after it verified. Not thread-safe: use one instance per update.
 */
public final class Updater {
  private final MetadataDirectory store;
  private final List<URI> metadataMirrors;
  private final Fetcher fetcher;
  private final Clock clock;
  private final UpdaterConfig config;
  private Optional<TrustedMetadata> trusted = Optional.empty();

  /** The outcome of a refresh. */
  public record RefreshResult(
      long rootVersion,
      long timestampVersion,
      long snapshotVersion,
      long targetsVersion,
      boolean rootMayBeStale) {}

  /** Verifies fetched bytes and stores them; returns empty when nothing needs storing. */
  @FunctionalInterface
  private interface Acceptor<R> {
    R accept(byte[] bytes) throws TufException, IOException;
  }

  public Updater(
      MetadataDirectory store,
      List<URI> metadataMirrors,
      Fetcher fetcher,
      Clock clock,
      UpdaterConfig config) {
    if (metadataMirrors.isEmpty()) {
      throw new IllegalArgumentException("at least one metadata URL is needed");
    }
    this.store = store;
    this.metadataMirrors = metadataMirrors.stream().map(Urls::directory).toList();
    this.fetcher = fetcher;
    this.clock = clock;
    this.config = config;
  }

  /**
   * Brings the top-level metadata up to date: root (following rotations), timestamp, snapshot,
   * targets. Every expiry is judged against the clock reading taken when this starts.
   */
  public RefreshResult refresh() throws IOException, TufException {
    byte[] rootBytes =
        store
            .read("root", config.rootMaxLength())
            .orElseThrow(
                () ->
                    new MissingMetadataException(
                        "no trusted root in "
                            + store.dir()
                            + "; initialise it with a root you trust"));
    TrustedMetadata set = new TrustedMetadata(rootBytes, clock.instant());
    trusted = Optional.empty();
    boolean stale = updateRoot(set);
    updateTimestamp(set);
    updateSnapshot(set);
    Metadata<Targets> targets =
        loadTargets(set, RoleType.TARGETS.value(), TrustedMetadata.ROOT_DELEGATOR);
    trusted = Optional.of(set);
    return new RefreshResult(
        set.root().signed().version(),
        set.timestamp().orElseThrow().signed().version(),
        set.snapshot().orElseThrow().signed().version(),
        targets.signed().version(),
        stale);
  }

  private boolean updateRoot(TrustedMetadata set) throws IOException, TufException {
    Root initial = set.root().signed();
    boolean upToDate = false;
    for (int i = 0; i < config.maxRootRotations(); i++) {
      long next = set.root().signed().version() + 1;
      Optional<Metadata<Root>> accepted =
          fromMirrors(
              next + ".root.json",
              config.rootMaxLength(),
              true,
              bytes -> {
                Metadata<Root> root = set.updateRoot(bytes);
                store.write("root", bytes);
                return Optional.of(root);
              });
      if (accepted.isEmpty()) {
        upToDate = true;
        break;
      }
    }
    set.checkRootNotExpired();
    Root current = set.root().signed();
    if (!SignatureThreshold.sameKeys(
            initial.role(RoleType.TIMESTAMP), current.role(RoleType.TIMESTAMP))
        || !SignatureThreshold.sameKeys(
            initial.role(RoleType.SNAPSHOT), current.role(RoleType.SNAPSHOT))) {
      // Spec 5.3.11: after a timestamp or snapshot key rotation, forget their trusted versions
      // (this is how a repository recovers from a fast-forward attack).
      store.delete(RoleType.TIMESTAMP.value());
      store.delete(RoleType.SNAPSHOT.value());
    }
    return !upToDate;
  }

  private void updateTimestamp(TrustedMetadata set) throws IOException, TufException {
    Optional<byte[]> local = store.read(RoleType.TIMESTAMP.value(), config.timestampMaxLength());
    if (local.isPresent()) {
      try {
        set.updateTimestamp(local.get());
      } catch (TufException e) {
        // not usable as final; if it verified, it still guards against rollback
      }
    }
    fromMirrors(
        "timestamp.json",
        config.timestampMaxLength(),
        false,
        bytes -> {
          Optional<Metadata<Timestamp>> accepted = set.updateTimestamp(bytes);
          if (accepted.isPresent()) {
            store.write(RoleType.TIMESTAMP.value(), bytes);
          }
          return accepted;
        });
    set.checkFinalTimestamp();
  }

  private void updateSnapshot(TrustedMetadata set) throws IOException, TufException {
    Optional<byte[]> local = store.read(RoleType.SNAPSHOT.value(), config.snapshotMaxLength());
    if (local.isPresent()) {
      try {
        set.updateSnapshot(local.get(), true);
        return; // the local snapshot is the one the timestamp names
      } catch (TufException e) {
        // stale or invalid: fetch the current one (a verified stale one still guards rollback)
      }
    }
    MetaFile meta = set.timestamp().orElseThrow().signed().snapshotMeta();
    String file =
        set.root().signed().consistentSnapshot()
            ? meta.version() + ".snapshot.json"
            : "snapshot.json";
    fromMirrors(
        file,
        meta.length().orElse(config.snapshotMaxLength()),
        false,
        bytes -> {
          Metadata<Snapshot> snapshot = set.updateSnapshot(bytes, false);
          store.write(RoleType.SNAPSHOT.value(), bytes);
          return Optional.of(snapshot);
        });
  }

  private Metadata<Targets> loadTargets(TrustedMetadata set, String role, String delegator)
      throws IOException, TufException {
    Optional<Metadata<Targets>> loaded = set.targets(role);
    if (loaded.isPresent()) {
      // Reached again, maybe through another delegator: it must satisfy this one too.
      set.verifyDelegated(loaded.get(), role, delegator);
      return loaded.get();
    }
    Optional<byte[]> local = store.read(role, config.targetsMaxLength());
    if (local.isPresent()) {
      try {
        return set.updateTargets(local.get(), role, delegator);
      } catch (TufException e) {
        // stale or invalid: fetch the current one
      }
    }
    MetaFile meta = set.snapshotEntry(role);
    String file =
        set.root().signed().consistentSnapshot()
            ? meta.version() + "." + Urls.quote(role) + ".json"
            : Urls.quote(role) + ".json";
    return fromMirrors(
            file,
            meta.length().orElse(config.targetsMaxLength()),
            false,
            bytes -> {
              Metadata<Targets> targets = set.updateTargets(bytes, role, delegator);
              store.writeTargets(role, bytes);
              return Optional.of(targets);
            })
        .orElseThrow();
  }

  /**
   * Finds the signed description of {@code targetPath}: a pre-order depth-first search from the
   * top-level targets role through delegations whose paths cover it, honouring terminating
   * delegations, visiting the top-level targets role and at most {@code maxDelegations} delegated
   * roles, exactly as python-tuf's search (a role is loaded while no more than {@code
   * maxDelegations} roles were visited before it). Refreshes first if needed.
   */
  public TargetFile targetInfo(String targetPath) throws IOException, TufException {
    if (trusted.isEmpty()) {
      refresh();
    }
    TrustedMetadata set = trusted.orElseThrow();
    record Visit(String role, String delegator) {}
    Deque<Visit> toVisit = new ArrayDeque<>();
    toVisit.push(new Visit(RoleType.TARGETS.value(), TrustedMetadata.ROOT_DELEGATOR));
    Set<Visit> visited = new HashSet<>();
    while (visited.size() <= config.maxDelegations() && !toVisit.isEmpty()) {
      Visit visit = toVisit.pop();
      if (!visited.add(visit)) {
        continue;
      }
      Targets targets = loadTargets(set, visit.role(), visit.delegator()).signed();
      TargetFile found = targets.targets().get(targetPath);
      if (found != null) {
        return found;
      }
      if (targets.delegations().isEmpty()) {
        continue;
      }
      List<Visit> children = new ArrayList<>();
      for (DelegatedRole child : targets.delegations().get().roles()) {
        if (child.isDelegatedPath(targetPath)) {
          children.add(new Visit(child.name(), visit.role()));
          if (child.terminating()) {
            toVisit.clear();
            break;
          }
        }
      }
      for (int i = children.size() - 1; i >= 0; i--) {
        toVisit.push(children.get(i));
      }
    }
    throw new TargetNotFoundException(targetPath);
  }

  /**
   * The verified metadata of delegated role {@code role}, found by walking the delegation graph
   * from the top-level targets role (it and at most {@code maxDelegations} delegated roles, as
   * {@link #targetInfo}); empty when no role delegates to it or the snapshot does not list it yet
   * (a role never published). Refreshes first if needed. Publishers use it to build the next
   * version of their role.
   */
  public Optional<Metadata<Targets>> roleMetadata(String role) throws IOException, TufException {
    if (trusted.isEmpty()) {
      refresh();
    }
    TrustedMetadata set = trusted.orElseThrow();
    Deque<String[]> toVisit = new ArrayDeque<>();
    toVisit.add(new String[] {RoleType.TARGETS.value(), TrustedMetadata.ROOT_DELEGATOR});
    Set<String> visited = new HashSet<>();
    int budget = config.maxDelegations() + 1; // the top-level targets role and the delegated ones
    while (budget-- > 0 && !toVisit.isEmpty()) {
      String[] visit = toVisit.poll();
      if (!visited.add(visit[0])) {
        continue;
      }
      if (!visit[0].equals(RoleType.TARGETS.value())
          && !set.snapshot().orElseThrow().signed().meta().containsKey(visit[0] + ".json")) {
        continue;
      }
      Metadata<Targets> metadata = loadTargets(set, visit[0], visit[1]);
      if (visit[0].equals(role)) {
        return Optional.of(metadata);
      }
      for (DelegatedRole child :
          metadata.signed().delegations().map(Delegations::roles).orElse(List.of())) {
        toVisit.add(new String[] {child.name(), visit[0]});
      }
    }
    return Optional.empty();
  }

  /**
   * The names of the delegated roles reachable from the top-level targets role, breadth-first in
   * delegation order (the top-level targets role and at most {@code maxDelegations} delegated roles
   * visited, as {@link #targetInfo}). Only roles the snapshot lists (published ones) are loaded and
   * followed further, but every delegated name seen is returned, published or not: check {@link
   * #roleMetadata} before searching a role's paths. Refreshes first if needed.
   */
  public List<String> delegatedRoleNames() throws IOException, TufException {
    if (trusted.isEmpty()) {
      refresh();
    }
    TrustedMetadata set = trusted.orElseThrow();
    Map<String, MetaFile> listed = set.snapshot().orElseThrow().signed().meta();
    List<String> names = new ArrayList<>();
    Deque<String[]> toVisit = new ArrayDeque<>();
    toVisit.add(new String[] {RoleType.TARGETS.value(), TrustedMetadata.ROOT_DELEGATOR});
    Set<String> seen = new HashSet<>(Set.of(RoleType.TARGETS.value()));
    int budget = config.maxDelegations() + 1; // the top-level targets role and the delegated ones
    while (budget-- > 0 && !toVisit.isEmpty()) {
      String[] visit = toVisit.poll();
      Metadata<Targets> metadata = loadTargets(set, visit[0], visit[1]);
      for (DelegatedRole child :
          metadata.signed().delegations().map(Delegations::roles).orElse(List.of())) {
        if (seen.add(child.name())) {
          names.add(child.name());
          if (listed.containsKey(child.name() + ".json")) {
            toVisit.add(new String[] {child.name(), visit[0]});
          }
        }
      }
    }
    return List.copyOf(names);
  }

  /** {@code file} when it exists and has the signed length and hashes of {@code target}. */
  public Optional<Path> findCached(TargetFile target, Path file) throws IOException, TufException {
    LengthAndHashes.digests(target.path(), target.hashes());
    if (!Files.isRegularFile(file) || Files.size(file) != target.length()) {
      return Optional.empty();
    }
    try {
      verifyFile(target, file);
    } catch (DigestMismatchException e) {
      return Optional.empty();
    }
    return Optional.of(file);
  }

  /**
   * Downloads {@code target} from the first of {@code targetMirrors} that serves it intact: into a
   * hidden {@code .<name>.part} file next to {@code destination}, checked for the signed length and
   * hashes, and only then moved to {@code destination}. A download cut short is resumed from where
   * it stopped (on the next attempt or the next call); bytes that fail verification are deleted.
   * When {@link ChunkHashes} are signed for the target, each chunk is checked as it arrives: a
   * chunk that fails is dropped and the next mirror goes on from the last chunk that matched. On
   * failure no {@code destination} appears. The file is private (mode 0600, new directories 0700):
   * a target may be a bundle of a jail's files.
   */
  public void download(TargetFile target, List<URI> targetMirrors, Path destination)
      throws IOException, TufException {
    download(target, targetMirrors, destination, Optional.empty());
  }

  /**
   * {@link #download(TargetFile, List, Path)}, handing the verified bytes of the target to {@code
   * verified} as well, in order and each once: when {@link ChunkHashes} are signed for the target,
   * every chunk as soon as it matched its signed sha256, while the download goes on (a chunk that
   * fails is dropped and the next mirror continues from the last chunk that matched; a part file a
   * killed run left, or a copy already at {@code destination}, is checked chunk by chunk, its
   * chunks that match handed on from the disk and the rest fetched again); without them, the whole
   * file once it matched. No byte that was not verified reaches {@code verified}. Returning
   * normally means every byte was handed on and the whole file matched its signed length and
   * hashes; {@code verified} is not closed. Returns how many bytes, from the first, came from the
   * disk (a part or a copy already there) and matched their chunks: the target's length when
   * nothing was fetched.
   */
  public long download(
      TargetFile target, List<URI> targetMirrors, Path destination, OutputStream verified)
      throws IOException, TufException {
    return download(target, targetMirrors, destination, Optional.of(verified));
  }

  private long download(
      TargetFile target, List<URI> targetMirrors, Path destination, Optional<OutputStream> verified)
      throws IOException, TufException {
    LengthAndHashes.digests(target.path(), target.hashes()); // refuse unknown hashes up front
    Optional<ChunkHashes> chunks = ChunkHashes.of(target);
    // with chunk hashes, every chunk is checked as it arrives, whether or not it is handed on: a
    // bad chunk from one mirror is dropped and the next mirror goes on from the last good chunk
    Optional<ChunkForwarder> forwarder =
        chunks.isPresent()
            ? Optional.of(
                new ChunkForwarder(
                    target, chunks.get(), verified.orElseGet(OutputStream::nullOutputStream)))
            : Optional.empty();
    String relative = targetUrlPath(target);
    Path dir = destination.toAbsolutePath().getParent();
    PrivateFiles.createDirectories(dir);
    Path part = dir.resolve("." + destination.getFileName() + ".part");
    if (forwarder.isPresent() && Files.isRegularFile(destination)) {
      // a copy already there is checked chunk by chunk, as a part is: the chunks that match are
      // handed on from the disk, the first that does not and the rest are fetched again
      AtomicFiles.move(destination, part);
    }
    long reused = 0;
    if (forwarder.isPresent() && Files.isRegularFile(part) && Files.size(part) <= target.length()) {
      try {
        resume(forwarder.get(), part, Files.size(part));
      } catch (ConsumerFailedException e) {
        throw e.failure(); // the part stays for the next run
      }
      reused = forwarder.get().forwarded();
    }
    MirrorRotation rotation = new MirrorRotation(targetMirrors, fetcher.retries());
    do {
      for (URI mirror : rotation.round()) {
        if (downloadFrom(
            mirror, relative, target, part, destination, forwarder, verified, rotation)) {
          return reused;
        }
      }
    } while (rotation.nextRound());
    Files.deleteIfExists(part);
    throw rotation.failure();
  }

  /**
   * Up to {@link #DOWNLOAD_ATTEMPTS} attempts at {@code target} from {@code mirror}, each resuming
   * where the last one stopped; true once the verified file is in place, false (the failure
   * recorded in {@code rotation}) when this mirror is left for now.
   */
  private boolean downloadFrom(
      URI mirror,
      String relative,
      TargetFile target,
      Path part,
      Path destination,
      Optional<ChunkForwarder> forwarder,
      Optional<OutputStream> verified,
      MirrorRotation rotation)
      throws IOException {
    URI url = URI.create(Urls.directory(mirror) + relative);
    for (int attempt = 1; attempt <= DOWNLOAD_ATTEMPTS; attempt++) {
      long fromDisk = 0; // bytes of the part this attempt started with
      try {
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (have > target.length()) {
          Files.delete(part);
          have = 0;
        }
        if (forwarder.isPresent()) {
          have = resume(forwarder.get(), part, have);
        }
        fromDisk = have;
        // The bytes are hashed as they arrive (those of an earlier attempt read back first),
        // so the file is read once; the length and hashes are checked before the move.
        DigestingStream hashed = new DigestingStream(target);
        if (have > 0) {
          try (InputStream in = Files.newInputStream(part)) {
            in.transferTo(hashed);
          }
        }
        if (have < target.length() || target.length() == 0) {
          PrivateFiles.createFileIfAbsent(part); // a target may hold a jail's files: never others'
          try (OutputStream file =
              Files.newOutputStream(
                  part,
                  java.nio.file.StandardOpenOption.CREATE,
                  java.nio.file.StandardOpenOption.APPEND)) {
            OutputStream out = forwarder.isPresent() ? tee(file, forwarder.get()) : file;
            fetcher.fetchOnce(url, have, target.length(), hashed.teeTo(out));
          }
        }
        hashed.check(Files.size(part));
        try (var channel =
            java.nio.channels.FileChannel.open(part, java.nio.file.StandardOpenOption.WRITE)) {
          channel.force(true);
        }
        if (forwarder.isPresent() && forwarder.get().forwarded() != target.length()) {
          throw new IOException(
              target.path()
                  + ": expected every chunk handed on once the file matched, found "
                  + forwarder.get().forwarded()
                  + " of "
                  + target.length()
                  + " bytes");
        }
        AtomicFiles.move(part, destination);
        if (verified.isPresent() && forwarder.isEmpty()) {
          try (InputStream in = Files.newInputStream(destination)) {
            in.transferTo(verified.get());
          }
        }
        return true;
      } catch (ConsumerFailedException e) {
        throw e.failure(); // no mirror can help; the part stays for the next run
      } catch (VerificationIOException e) {
        long good = forwarder.orElseThrow().forwarded();
        truncate(part, good); // keep what matched
        if (good < fromDisk) {
          // the chunk that failed began with bytes from the disk (a part or a copy left there),
          // not this mirror's alone: this mirror again, from the last chunk that matched
          rotation.failed(mirror, e.reason());
          continue;
        }
        // a chunk from this mirror failed: the next mirror goes on from the last one that matched
        rotation.failed(mirror, e.reason());
        return false;
      } catch (FetchStatusException | FetchTooLargeException | TufException e) {
        Files.deleteIfExists(part); // wrong bytes or no such file here: try the next mirror
        rotation.failed(mirror, e);
        return false;
      } catch (FetchGaveUpException e) {
        rotation.failed(mirror, e); // this mirror again in the next round, if any
        return false;
      } catch (IOException e) {
        rotation.failed(
            mirror, e); // cut short: the next attempt resumes from what reached the disk
      }
    }
    return false;
  }

  /**
   * Makes {@code forwarder} expect the byte after what {@code part} holds ({@code have} bytes),
   * handing it the part's bytes beyond what was handed on (a chunk begun in an attempt cut short,
   * or what a killed run left). A part whose bytes fail their chunk is cut after its last chunk
   * that matched, and fetched again from there. Returns the bytes the part holds now.
   */
  private static long resume(ChunkForwarder forwarder, Path part, long have) throws IOException {
    if (have <= forwarder.forwarded()) {
      forwarder.resumeAt(have);
      return have;
    }
    forwarder.resumeAt(forwarder.forwarded());
    try (InputStream in = Files.newInputStream(part)) {
      in.skipNBytes(forwarder.forwarded());
      byte[] buffer = new byte[256 * 1024];
      long left = have - forwarder.forwarded();
      while (left > 0) {
        int n = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, left));
        if (n == 0) {
          throw new IOException(part + " shrank while it was read");
        }
        forwarder.write(buffer, 0, n);
        left -= n;
      }
      return have;
    } catch (VerificationIOException e) {
      truncate(part, forwarder.forwarded());
      forwarder.resumeAt(forwarder.forwarded());
      return forwarder.forwarded();
    }
  }

  private static void truncate(Path part, long length) throws IOException {
    if (Files.exists(part)) {
      try (var channel =
          java.nio.channels.FileChannel.open(part, java.nio.file.StandardOpenOption.WRITE)) {
        channel.truncate(length);
      }
    }
  }

  /** Writes to {@code file}, then to {@code forwarder}. */
  private static OutputStream tee(OutputStream file, ChunkForwarder forwarder) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        file.write(b, off, len);
        forwarder.write(b, off, len);
      }
    };
  }

  /** Attempts per mirror for one target download, each resuming where the last one stopped. */
  private static final int DOWNLOAD_ATTEMPTS = 3;

  /**
   * Hashes what is written to it with every hash a target lists, optionally passing it on; then
   * checks the count and the hashes against the target's signed length and hashes.
   */
  private static final class DigestingStream extends OutputStream {
    private final TargetFile target;
    private final Map<String, MessageDigest> digests;
    private OutputStream next = OutputStream.nullOutputStream();
    private long count;

    DigestingStream(TargetFile target) throws TufException {
      this.target = target;
      this.digests = LengthAndHashes.digests(target.path(), target.hashes());
    }

    /** From now on, also writes everything to {@code out} (first), then hashes it. */
    OutputStream teeTo(OutputStream out) {
      this.next = out;
      return this;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      next.write(b, off, len);
      count += len;
      for (MessageDigest d : digests.values()) {
        d.update(b, off, len);
      }
    }

    /** Checks that {@code fileSize} bytes were hashed and that they are the signed ones. */
    void check(long fileSize) throws IOException, TufException {
      if (fileSize != count) {
        throw new IOException(
            target.path()
                + ": "
                + fileSize
                + " bytes on disk but "
                + count
                + " received; the download directory changed under the download");
      }
      LengthAndHashes.checkLength(target.path(), java.util.OptionalLong.of(target.length()), count);
      LengthAndHashes.check(target.path(), digests, target.hashes());
    }
  }

  private static void verifyFile(TargetFile target, Path file) throws IOException, TufException {
    Map<String, MessageDigest> digests = LengthAndHashes.digests(target.path(), target.hashes());
    long size = 0;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[256 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        size += n;
        for (MessageDigest d : digests.values()) {
          d.update(buffer, 0, n);
        }
      }
    }
    LengthAndHashes.checkLength(target.path(), java.util.OptionalLong.of(target.length()), size);
    LengthAndHashes.check(target.path(), digests, target.hashes());
  }

  /**
   * The URL path of a target below a targets base URL: each segment percent-quoted, and with
   * consistent snapshots the file name prefixed by its first listed hash.
   */
  private String targetUrlPath(TargetFile target) throws UnsafeNameException {
    String path = target.path();
    if (path.isEmpty()
        || path.startsWith("/")
        || path.indexOf('\0') >= 0
        || path.indexOf('\\') >= 0) {
      throw new UnsafeNameException(
          "target", path, "expected a relative path without NUL or backslash");
    }
    String[] segments = path.split("/", -1);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new UnsafeNameException("target", path, "it has an empty, '.' or '..' segment");
      }
      if (i == segments.length - 1) {
        boolean prefix =
            config.prefixTargetsWithHash()
                && trusted.map(t -> t.root().signed().consistentSnapshot()).orElse(true);
        if (prefix) {
          String hash = target.sha256().orElse(target.hashes().values().iterator().next());
          segment = hash + "." + segment;
        }
      }
      if (i > 0) {
        out.append('/');
      }
      out.append(Urls.quote(segment));
    }
    return out.toString();
  }

  /** Fetches {@code file} from each mirror in turn until one serves bytes that are accepted. */
  private <R> Optional<R> fromMirrors(
      String file, long maxLength, boolean notFoundMeansNone, Acceptor<Optional<R>> acceptor)
      throws IOException, TufException {
    MirrorRotation rotation = new MirrorRotation(metadataMirrors, fetcher.retries());
    boolean notFound = false; // a mirror said there is no such file
    boolean otherAnswer = false; // a mirror answered for good with something else
    do {
      for (URI mirror : rotation.round()) {
        URI url = URI.create(mirror + file); // concatenated: the base stays exactly as given
        try {
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          fetcher.fetchOnce(url, 0, maxLength, bytes);
          return acceptor.accept(bytes.toByteArray());
        } catch (FetchStatusException e) {
          notFound |= e.isNotFound();
          otherAnswer |= !e.isNotFound();
          rotation.failed(mirror, e);
        } catch (IOException | TufException e) {
          otherAnswer |= !(e instanceof FetchGaveUpException);
          rotation.failed(mirror, e);
        }
      }
      if (notFoundMeansNone && notFound && !otherAnswer) {
        return Optional.empty(); // the others are unreachable: their answer cannot be waited for
      }
    } while (rotation.nextRound());
    throw rotation.failure();
  }
}
