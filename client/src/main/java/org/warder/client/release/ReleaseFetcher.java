package org.warder.client.release;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
import org.warder.client.archive.ArchiveException;
import org.warder.client.archive.ExtractionResult;
import org.warder.client.archive.FileFlags;
import org.warder.client.archive.ParallelXzInputStream;
import org.warder.client.archive.TarExtractor;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandRunner;
import org.warder.client.host.HostOs;
import org.warder.client.layout.HostLayout;
import org.warder.client.plan.Plan;
import org.warder.client.plan.Step;
import org.warder.client.progress.ProgressListener;
import org.warder.client.progress.Reporter;
import org.warder.client.state.StateFiles;
import org.warder.client.storage.Storage;
import org.warder.index.CatalogException;
import org.warder.index.ReleaseManifest;
import org.warder.signing.AtomicFiles;
import org.warder.signing.Digests;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.Fetcher;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.TargetNotFoundException;
import org.warder.signing.tuf.Updater;

/**
 * Fetches a FreeBSD release onto the host as a {@link Plan}: every distribution file verified
 * (against signed TUF targets, or against a FreeBSD MANIFEST from a plain mirror) into {@code
 * <root>/download/<REL>/}, then extracted into a staging dataset or directory that becomes {@code
 * <root>/releases/<REL>} only when everything succeeded. The plan is built from the verified
 * metadata before anything is written, so {@code --dry-run} prints exactly what a fetch does; a
 * failure undoes the steps done and leaves no release and no download of this run behind. Not
 * thread-safe.
 */
public final class ReleaseFetcher {
  /** A plain mirror's distribution files are capped at this size (no signed length exists). */
  static final long MIRROR_FILE_CAP = 4L << 30;

  private final HostLayout layout;
  private final Storage storage;
  private final CommandRunner runner;
  private final HostOs os;
  private final Clock clock;
  private final Reporter reporter;
  private final ProgressListener progress;

  /** Whether the host has {@code xz}; looked up once. */
  private Optional<Boolean> nativeXz = Optional.empty();

  public ReleaseFetcher(
      HostLayout layout,
      Storage storage,
      CommandRunner runner,
      HostOs os,
      Clock clock,
      Reporter reporter,
      ProgressListener progress) {
    this.layout = layout;
    this.storage = storage;
    this.runner = runner;
    this.os = os;
    this.clock = clock;
    this.reporter = reporter;
    this.progress = progress;
  }

  /** Fetches {@code release} from a registry: {@link #planFromRegistry}, run. */
  public void fromRegistry(
      String release,
      String arch,
      List<String> files,
      String repoName,
      Updater updater,
      List<URI> targetMirrors,
      boolean update)
      throws ClientException, IOException, SigningException, InterruptedException {
    run(planFromRegistry(release, arch, files, repoName, updater, targetMirrors, update));
  }

  /** Fetches {@code release} from a plain mirror: {@link #planFromMirror}, run. */
  public void fromMirror(
      String release,
      String arch,
      List<String> files,
      URI mirror,
      Optional<String> manifestSha256,
      Fetcher fetcher,
      boolean update)
      throws ClientException, IOException, InterruptedException {
    run(planFromMirror(release, arch, files, mirror, manifestSha256, fetcher, update));
  }

  /** Runs a fetch plan; on failure the completed steps are undone. */
  public void run(Plan plan) throws ClientException, InterruptedException {
    plan.run(reporter, false, List::of);
  }

  /**
   * Plans fetching {@code release} for {@code arch} from a registry: files are signed targets
   * {@code releases/<REL>/<ARCH>/<file>}; {@code files} empty means base.txz plus lib32.txz where
   * published. Refreshes the repository's signed metadata (as {@code warder repo refresh} does) and
   * writes nothing else.
   */
  public Plan planFromRegistry(
      String release,
      String arch,
      List<String> files,
      String repoName,
      Updater updater,
      List<URI> targetMirrors,
      boolean update)
      throws ClientException, IOException, SigningException, InterruptedException {
    Releases.checkName(release);
    for (String file : files) {
      checkFileName(file);
    }
    refuseExisting(release);
    updater.refresh();
    String prefix = "releases/" + release + "/" + arch + "/";
    List<Download> downloads = new ArrayList<>();
    List<String> wanted = files.isEmpty() ? List.of("base.txz", "lib32.txz") : files;
    for (String file : wanted) {
      checkFileName(file);
      try {
        downloads.add(new Signed(file, updater.targetInfo(prefix + file), updater, targetMirrors));
      } catch (TargetNotFoundException e) {
        if (!files.isEmpty() || file.equals("base.txz")) {
          throw new ClientException(
              Reason.NOT_FOUND,
              "release "
                  + release
                  + " for "
                  + arch
                  + " has no signed "
                  + file
                  + " in "
                  + repoName
                  + "; see what is published with 'warder fetch -r' on another release, or ask the publisher",
              e);
        }
      }
    }
    return plan(release, arch, "repo " + repoName, downloads, Optional.empty(), update);
  }

  /**
   * Plans fetching {@code release} from a plain FreeBSD mirror (download.freebsd.org layout: {@code
   * <mirror>/<ARCH>/<REL>/MANIFEST}), each file to be checked against MANIFEST. Unless {@code
   * manifestSha256} pins the MANIFEST, says clearly that it is not authenticated. Reads the
   * MANIFEST and writes nothing.
   */
  public Plan planFromMirror(
      String release,
      String arch,
      List<String> files,
      URI mirror,
      Optional<String> manifestSha256,
      Fetcher fetcher,
      boolean update)
      throws ClientException, IOException, InterruptedException {
    Releases.checkName(release);
    for (String file : files) {
      checkFileName(file);
    }
    refuseExisting(release);
    String base = mirror.toString().endsWith("/") ? mirror.toString() : mirror + "/";
    URI dir = URI.create(base + arch + "/" + release + "/");
    byte[] manifestBytes = fetcher.fetchBytes(dir.resolve("MANIFEST"), ReleaseManifest.MAX_BYTES);
    String manifestHash = Digests.sha256Hex(manifestBytes);
    if (manifestSha256.isPresent()) {
      if (!manifestHash.equalsIgnoreCase(manifestSha256.get())) {
        throw new ClientException(
            Reason.REFUSED,
            "MANIFEST from "
                + dir
                + " has sha256 "
                + manifestHash
                + ", expected the pinned "
                + manifestSha256.get()
                + "; the mirror serves something else, nothing was extracted");
      }
      reporter.info("MANIFEST matches the pinned sha256 " + manifestHash);
    } else {
      reporter.info(
          "WARNING: the MANIFEST from "
              + dir
              + " is NOT authenticated (sha256 "
              + manifestHash
              + "):");
      reporter.info(
          "  files are checked against it, but whoever controls the mirror or the network controls it.");
      reporter.info("  Pin it with --manifest-sha256 HEX, or fetch from a signed registry.");
    }
    ReleaseManifest manifest;
    try {
      manifest = ReleaseManifest.parse(manifestBytes);
    } catch (CatalogException e) {
      throw new ClientException(
          Reason.INVALID_INPUT, "MANIFEST from " + dir + " is malformed: " + e.getMessage(), e);
    }
    List<String> wanted =
        files.isEmpty()
            ? manifest.entry("lib32.txz").isPresent()
                ? List.of("base.txz", "lib32.txz")
                : List.of("base.txz")
            : files;
    List<Download> downloads = new ArrayList<>();
    for (String file : wanted) {
      checkFileName(file);
      ReleaseManifest.Entry entry =
          manifest
              .entry(file)
              .orElseThrow(
                  () ->
                      new ClientException(
                          Reason.NOT_FOUND,
                          file
                              + " is not listed in the MANIFEST of "
                              + dir
                              + "; refusing to use it"));
      downloads.add(new Listed(entry, dir.resolve(file), fetcher));
    }
    return plan(release, arch, "mirror " + mirror, downloads, Optional.of(manifestBytes), update);
  }

  private Plan plan(
      String release,
      String arch,
      String source,
      List<Download> files,
      Optional<byte[]> manifest,
      boolean update) {
    String staging = HostLayout.stagingName(release);
    Path root = storage.path(staging + "/root");
    DownloadStep download = new DownloadStep(layout.download(release), files, manifest);
    return new Plan(
        List.of(
            download,
            new ExtractStep(release, staging, root, download),
            new UpdateStep(release, root, update),
            new PromoteStep(release, arch, source, staging, download)));
  }

  /** One distribution file and how to bring a verified copy of it into the download directory. */
  private interface Download {
    String file();

    /** Where it comes from and what it must be, for the plan. */
    String describe();

    /** Makes {@code dest} a verified copy; false when the cached copy there already was one. */
    boolean fetch(Path dest) throws ClientException, IOException;

    /** The file's record once {@code dest} is verified. */
    ReleaseRecord.FileRecord record(Path dest) throws IOException;
  }

  /** A signed target of a registry: length and sha256 from verified TUF metadata. */
  private final class Signed implements Download {
    private final String file;
    private final TargetFile target;
    private final Updater updater;
    private final List<URI> mirrors;

    Signed(String file, TargetFile target, Updater updater, List<URI> mirrors) {
      this.file = file;
      this.target = target;
      this.updater = updater;
      this.mirrors = mirrors;
    }

    @Override
    public String file() {
      return file;
    }

    @Override
    public String describe() {
      return file
          + ": "
          + target.length()
          + " bytes, sha256 "
          + target.sha256().orElse("?")
          + " (signed target "
          + target.path()
          + ")";
    }

    @Override
    public boolean fetch(Path dest) throws ClientException, IOException {
      try {
        if (updater.findCached(target, dest).isPresent()) {
          reporter.info(
              file + ": cached copy verified (sha256 " + target.sha256().orElse("?") + ")");
          return false;
        }
        Files.deleteIfExists(dest);
        progress.begin(file, target.length());
        try {
          updater.download(target, mirrors, dest);
        } finally {
          progress.end();
        }
        return true;
      } catch (SigningException e) {
        throw new ClientException(Reason.REFUSED, e.getMessage(), e);
      }
    }

    @Override
    public ReleaseRecord.FileRecord record(Path dest) {
      return new ReleaseRecord.FileRecord(file, target.length(), target.sha256().orElse(""));
    }
  }

  /** A file of a plain mirror: sha256 from its MANIFEST, length known once downloaded. */
  private final class Listed implements Download {
    private final ReleaseManifest.Entry entry;
    private final URI url;
    private final Fetcher fetcher;

    Listed(ReleaseManifest.Entry entry, URI url, Fetcher fetcher) {
      this.entry = entry;
      this.url = url;
      this.fetcher = fetcher;
    }

    @Override
    public String file() {
      return entry.file();
    }

    @Override
    public String describe() {
      return entry.file()
          + ": sha256 "
          + entry.sha256()
          + " as MANIFEST lists, "
          + entry.fileCount()
          + " files, at most "
          + MIRROR_FILE_CAP
          + " bytes (the MANIFEST gives no length), from "
          + url;
    }

    @Override
    public boolean fetch(Path dest) throws ClientException, IOException {
      if (Files.exists(dest) && Digests.sha256Hex(dest).equals(entry.sha256())) {
        reporter.info(entry.file() + ": cached copy verified against MANIFEST");
        return false;
      }
      downloadChecked(fetcher, url, dest, entry);
      return true;
    }

    @Override
    public ReleaseRecord.FileRecord record(Path dest) throws IOException {
      return new ReleaseRecord.FileRecord(entry.file(), Files.size(dest), entry.sha256());
    }
  }

  /**
   * Downloads the files (and a mirror's MANIFEST) into the download directory, each verified before
   * it gets its name; a verified cached copy is used as it is. Undo removes what this run wrote.
   */
  private final class DownloadStep implements Step {
    private final Path dir;
    private final List<Download> files;
    private final Optional<byte[]> manifest;
    private final List<Path> written = new ArrayList<>();
    private final List<ReleaseRecord.FileRecord> records = new ArrayList<>();

    DownloadStep(Path dir, List<Download> files, Optional<byte[]> manifest) {
      this.dir = dir;
      this.files = List.copyOf(files);
      this.manifest = manifest;
    }

    @Override
    public String name() {
      return "download";
    }

    @Override
    public List<String> describe() {
      List<String> lines = new ArrayList<>();
      lines.add("into " + dir + " (a verified copy already there is used as it is):");
      for (Download d : files) {
        lines.add("  " + d.describe());
      }
      manifest.ifPresent(
          m ->
              lines.add(
                  "  MANIFEST ("
                      + m.length
                      + " bytes, sha256 "
                      + Digests.sha256Hex(m)
                      + ") as read from the mirror"));
      return lines;
    }

    @Override
    public void run(Reporter reporter) throws ClientException, IOException {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        written.add(dir);
      }
      if (manifest.isPresent()) {
        Path file = dir.resolve("MANIFEST");
        boolean existed = Files.exists(file);
        AtomicFiles.write(file, manifest.get());
        if (!existed) {
          written.add(file);
        }
      }
      for (Download d : files) {
        Path dest = dir.resolve(d.file());
        if (d.fetch(dest)) {
          written.add(dest);
        }
        records.add(d.record(dest));
      }
    }

    @Override
    public void undo(Reporter reporter) throws IOException {
      for (int i = written.size() - 1; i >= 0; i--) {
        Files.deleteIfExists(written.get(i));
      }
    }

    List<ReleaseRecord.FileRecord> records() {
      return List.copyOf(records);
    }
  }

  /** Extracts the verified files into a new staging dataset or directory. Undo destroys it. */
  private final class ExtractStep implements Step {
    private final String release;
    private final String staging;
    private final Path root;
    private final DownloadStep download;

    ExtractStep(String release, String staging, Path root, DownloadStep download) {
      this.release = release;
      this.staging = staging;
      this.root = root;
      this.download = download;
    }

    @Override
    public String name() {
      return "extract";
    }

    @Override
    public List<String> describe() {
      List<String> lines = new ArrayList<>();
      lines.add("create " + staging + " and " + staging + "/root (destroying a leftover first)");
      for (Download d : download.files) {
        lines.add(
            "extract "
                + download.dir.resolve(d.file())
                + " into "
                + root
                + " (refusing unsafe members)");
      }
      if (os == HostOs.FREEBSD) {
        lines.add("set the BSD file flags the archives carry (chflags -h)");
      }
      return lines;
    }

    @Override
    public void run(Reporter reporter) throws ClientException, IOException, InterruptedException {
      storage.destroy(staging); // leftovers of an interrupted fetch
      boolean done = false;
      try {
        storage.create(staging);
        Path created = storage.create(staging + "/root");
        reporter.info(
            "extracting "
                + String.join(", ", download.files.stream().map(Download::file).toList())
                + " into "
                + layout.releaseRoot(release));
        TarExtractor.Session session = TarExtractor.withDefaults().open(created);
        for (Download d : download.files) {
          unpack(download.dir.resolve(d.file()), session);
        }
        ExtractionResult result = session.finish();
        applyFileFlags(created, result.fileFlags());
        reporter.info("extracted " + result.members() + " entries (" + result.bytes() + " bytes)");
        done = true;
      } catch (ArchiveException e) {
        throw new ClientException(e.reason(), "refusing the release archive: " + e.getMessage(), e);
      } finally {
        if (!done) {
          storage.destroy(staging);
        }
      }
    }

    @Override
    public void undo(Reporter reporter) throws IOException, InterruptedException {
      storage.destroy(staging);
    }
  }

  /** Applies freebsd-update to the extracted release, or says why not; lives inside staging. */
  private final class UpdateStep implements Step {
    private final String release;
    private final Path root;
    private final Optional<String> skipped;

    UpdateStep(String release, Path root, boolean update) {
      this.release = release;
      this.root = root;
      this.skipped =
          !update
              ? Optional.of("--no-update")
              : os != HostOs.FREEBSD
                  ? Optional.of("not a FreeBSD host")
                  : !release.endsWith("-RELEASE")
                      ? Optional.of("not a -RELEASE")
                      : Optional.empty();
    }

    @Override
    public String name() {
      return "freebsd-update";
    }

    @Override
    public List<String> describe() {
      return List.of(
          skipped
              .map(why -> "skipped (" + why + ")")
              .orElseGet(
                  () ->
                      command(Path.of("TMPDIR")).display()
                          + " (TMPDIR: a new temporary"
                          + " directory, removed afterwards)"));
    }

    @Override
    public void run(Reporter reporter) throws IOException, InterruptedException {
      if (skipped.isPresent()) {
        reporter.info("freebsd-update: skipped (" + skipped.get() + ")");
        return;
      }
      Path work = Files.createTempDirectory("warder-freebsd-update");
      try {
        runner.check(command(work));
      } finally {
        TarExtractor.deleteTree(work);
      }
    }

    private Command command(Path work) {
      return new Command(
          List.of(
              "freebsd-update",
              "-b",
              root.toString(),
              "-d",
              work.toString(),
              "--not-running-from-cron",
              "--currently-running",
              release,
              "fetch",
              "install"),
          Map.of("PAGER", "cat"),
          Optional.empty(),
          Duration.ofHours(2));
    }
  }

  /** Records where the release came from and gives it its name: the release appears at once. */
  private final class PromoteStep implements Step {
    private final String release;
    private final String arch;
    private final String source;
    private final String staging;
    private final DownloadStep download;

    PromoteStep(String release, String arch, String source, String staging, DownloadStep download) {
      this.release = release;
      this.arch = arch;
      this.source = source;
      this.staging = staging;
      this.download = download;
    }

    @Override
    public String name() {
      return "promote";
    }

    @Override
    public List<String> describe() {
      return List.of(
          "write "
              + staging
              + "/release.json (release "
              + release
              + ", "
              + arch
              + ", from "
              + source
              + ")",
          "rename " + staging + " to " + HostLayout.releaseName(release));
    }

    @Override
    public void run(Reporter reporter) throws IOException, InterruptedException {
      ReleaseRecord record =
          new ReleaseRecord(release, arch, source, download.records(), clock.instant());
      StateFiles.write(storage.path(staging).resolve("release.json"), record);
      storage.rename(staging, HostLayout.releaseName(release));
    }

    @Override
    public void undo(Reporter reporter) throws IOException, InterruptedException {
      storage.destroy(HostLayout.releaseName(release));
    }
  }

  private void downloadChecked(Fetcher fetcher, URI url, Path dest, ReleaseManifest.Entry entry)
      throws IOException, ClientException {
    Path tmp =
        AtomicFiles.createTemp(
            dest.getParent(), dest.getFileName().toString(), AtomicFiles.WORLD_READABLE);
    try {
      MessageDigest digest = Digests.newDigest("sha256");
      progress.begin(entry.file(), -1);
      try (OutputStream file = Files.newOutputStream(tmp)) {
        fetcher.fetch(
            url,
            MIRROR_FILE_CAP,
            new OutputStream() {
              @Override
              public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
              }

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                digest.update(b, off, len);
                file.write(b, off, len);
                progress.advance(len);
              }
            });
      } finally {
        progress.end();
      }
      String found = HexFormat.of().formatHex(digest.digest());
      if (!found.equals(entry.sha256())) {
        throw new ClientException(
            Reason.REFUSED,
            entry.file()
                + " from "
                + url
                + " has sha256 "
                + found
                + ", MANIFEST lists "
                + entry.sha256()
                + "; refusing it, nothing was extracted");
      }
      AtomicFiles.move(tmp, dest);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Decompresses a verified .txz into the extraction. The host's {@code xz -T0} (in FreeBSD's base
   * system; multithreaded) is used when present, as it decodes faster than any JVM decoder;
   * otherwise warder's own block-parallel decoder.
   */
  private void unpack(Path txz, TarExtractor.Session session)
      throws IOException, InterruptedException, ArchiveException {
    if (nativeXz()) {
      runner.stream(
          Command.of("xz", "-d", "-c", "-T0", "--", txz.toString())
              .withTimeout(Duration.ofHours(2)),
          in -> {
            session.extract(in);
            return null;
          });
      return;
    }
    try (InputStream in =
        ParallelXzInputStream.open(txz, Math.max(1, Runtime.getRuntime().availableProcessors()))) {
      session.extract(in);
    }
  }

  private boolean nativeXz() throws InterruptedException {
    if (nativeXz.isEmpty()) {
      boolean found;
      try {
        found = runner.run(Command.of("xz", "--version")).ok();
      } catch (IOException e) {
        found = false;
      }
      nativeXz = Optional.of(found);
    }
    return nativeXz.get();
  }

  /**
   * On FreeBSD, sets the BSD file flags the archive carried (schg and friends) once all is in
   * place.
   */
  private void applyFileFlags(Path root, List<FileFlags> flags)
      throws IOException, InterruptedException {
    if (os != HostOs.FREEBSD || flags.isEmpty()) {
      return;
    }
    Map<String, List<String>> byFlags = new LinkedHashMap<>();
    for (FileFlags f : flags) {
      byFlags
          .computeIfAbsent(f.flags(), k -> new ArrayList<>())
          .add(root.resolve(f.path()).toString());
    }
    for (Map.Entry<String, List<String>> e : byFlags.entrySet()) {
      List<String> argv = new ArrayList<>(List.of("chflags", "-h", e.getKey()));
      argv.addAll(e.getValue());
      runner.check(Command.of(argv));
    }
  }

  private void refuseExisting(String release)
      throws ClientException, IOException, InterruptedException {
    if (storage.exists(HostLayout.releaseName(release))) {
      throw new ClientException(
          Reason.CONFLICT,
          "release "
              + release
              + " is already fetched; destroy it first with 'warder destroy -r "
              + release
              + "' to fetch it again");
    }
  }

  private static void checkFileName(String file) throws ClientException {
    if (!file.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\.txz")) {
      throw new ClientException(
          Reason.INVALID_INPUT,
          "expected a distribution file name like base.txz, found \"" + file + "\"");
    }
  }
}
