package org.warder.client.release;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.warder.client.archive.ArchiveException;
import org.warder.client.archive.ExtractionResult;
import org.warder.client.archive.FileFlags;
import org.warder.client.archive.ParallelXzInputStream;
import org.warder.client.archive.TarExtractor;
import org.warder.client.digest.Sha256Tally;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandRunner;
import org.warder.client.host.DirectoryTrees;
import org.warder.client.host.HostOs;
import org.warder.client.layout.HostLayout;
import org.warder.client.progress.ProgressFetcher;
import org.warder.client.progress.ProgressListener;
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
 * Fetches a FreeBSD release onto the host: every distribution file verified (against signed TUF
 * targets, or against a FreeBSD MANIFEST from a plain mirror) into {@code <root>/download/<REL>/},
 * then extracted into a staging dataset or directory that becomes {@code <root>/releases/<REL>}
 * only when everything succeeded. A failure leaves no release behind. Not thread-safe.
 */
public final class ReleaseFetcher {
  /** A plain mirror's distribution files are capped at this size (no signed length exists). */
  static final long MIRROR_FILE_CAP = 4L << 30;

  private final HostLayout layout;
  private final Storage storage;
  private final CommandRunner runner;
  private final HostOs os;
  private final Clock clock;
  private final PrintWriter out;
  private final ProgressListener progress;

  /** Whether the host has {@code xz}; looked up once. */
  private Optional<Boolean> nativeXz = Optional.empty();

  public ReleaseFetcher(
      HostLayout layout,
      Storage storage,
      CommandRunner runner,
      HostOs os,
      Clock clock,
      PrintWriter out,
      ProgressListener progress) {
    this.layout = layout;
    this.storage = storage;
    this.runner = runner;
    this.os = os;
    this.clock = clock;
    this.out = out;
    this.progress = progress;
  }

  /** Where the release comes from, for release.json. */
  public record Source(String description) {}

  /**
   * Fetches {@code release} for {@code arch} from a registry: files are signed targets {@code
   * releases/<REL>/<ARCH>/<file>}; {@code files} empty means base.txz plus lib32.txz where
   * published.
   */
  public ReleaseRecord fromRegistry(
      String release,
      String arch,
      List<String> files,
      String repoName,
      Updater updater,
      List<URI> targetMirrors,
      boolean update)
      throws ReleaseException, IOException, SigningException, InterruptedException {
    Releases.checkName(release);
    for (String file : files) {
      checkFileName(file);
    }
    refuseExisting(release);
    updater.refresh();
    String prefix = "releases/" + release + "/" + arch + "/";
    Map<String, TargetFile> chosen = new LinkedHashMap<>();
    List<String> wanted = files.isEmpty() ? List.of("base.txz", "lib32.txz") : files;
    for (String file : wanted) {
      checkFileName(file);
      try {
        chosen.put(file, updater.targetInfo(prefix + file));
      } catch (TargetNotFoundException e) {
        if (!files.isEmpty() || file.equals("base.txz")) {
          throw new ReleaseException(
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
    Path download = layout.download(release);
    Files.createDirectories(download);
    List<ReleaseRecord.FileRecord> records = new ArrayList<>();
    for (Map.Entry<String, TargetFile> e : chosen.entrySet()) {
      Path dest = download.resolve(e.getKey());
      TargetFile target = e.getValue();
      if (updater.findCached(target, dest).isPresent()) {
        out.println(
            e.getKey() + ": cached copy verified (sha256 " + target.sha256().orElse("?") + ")");
      } else {
        Files.deleteIfExists(dest);
        progress.begin(e.getKey(), target.length());
        try {
          updater.download(target, targetMirrors, dest);
        } finally {
          progress.end();
        }
      }
      records.add(
          new ReleaseRecord.FileRecord(e.getKey(), target.length(), target.sha256().orElse("")));
    }
    return install(
        new ReleaseRecord(release, arch, "repo " + repoName, records, clock.instant()), update);
  }

  /**
   * Fetches {@code release} from a plain FreeBSD mirror (download.freebsd.org layout: {@code
   * <mirror>/<ARCH>/<REL>/MANIFEST}), each file checked against MANIFEST. Unless {@code
   * manifestSha256} pins the MANIFEST, says clearly that it is not authenticated.
   */
  public ReleaseRecord fromMirror(
      String release,
      String arch,
      List<String> files,
      URI mirror,
      Optional<String> manifestSha256,
      Fetcher fetcher,
      boolean update)
      throws ReleaseException, IOException, InterruptedException {
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
        throw new ReleaseException(
            "MANIFEST from "
                + dir
                + " has sha256 "
                + manifestHash
                + ", expected the pinned "
                + manifestSha256.get()
                + "; the mirror serves something else, nothing was extracted");
      }
      out.println("MANIFEST matches the pinned sha256 " + manifestHash);
    } else {
      out.println(
          "WARNING: the MANIFEST from "
              + dir
              + " is NOT authenticated (sha256 "
              + manifestHash
              + "):");
      out.println(
          "  files are checked against it, but whoever controls the mirror or the network controls it.");
      out.println("  Pin it with --manifest-sha256 HEX, or fetch from a signed registry.");
    }
    ReleaseManifest manifest;
    try {
      manifest = ReleaseManifest.parse(manifestBytes);
    } catch (CatalogException e) {
      throw new ReleaseException("MANIFEST from " + dir + " is malformed: " + e.getMessage(), e);
    }
    List<String> wanted =
        files.isEmpty()
            ? manifest.entry("lib32.txz").isPresent()
                ? List.of("base.txz", "lib32.txz")
                : List.of("base.txz")
            : files;
    Path download = layout.download(release);
    Files.createDirectories(download);
    AtomicFiles.write(download.resolve("MANIFEST"), manifestBytes);
    List<ReleaseRecord.FileRecord> records = new ArrayList<>();
    for (String file : wanted) {
      checkFileName(file);
      ReleaseManifest.Entry entry =
          manifest
              .entry(file)
              .orElseThrow(
                  () ->
                      new ReleaseException(
                          file
                              + " is not listed in the MANIFEST of "
                              + dir
                              + "; refusing to use it"));
      Path dest = download.resolve(file);
      if (Files.exists(dest) && Digests.sha256Hex(dest).equals(entry.sha256())) {
        out.println(file + ": cached copy verified against MANIFEST");
      } else {
        downloadChecked(fetcher, dir.resolve(file), dest, entry);
      }
      records.add(new ReleaseRecord.FileRecord(file, Files.size(dest), entry.sha256()));
    }
    return install(
        new ReleaseRecord(release, arch, "mirror " + mirror, records, clock.instant()), update);
  }

  private void downloadChecked(Fetcher fetcher, URI url, Path dest, ReleaseManifest.Entry entry)
      throws IOException, ReleaseException {
    Path tmp =
        AtomicFiles.createTemp(
            dest.getParent(), dest.getFileName().toString(), AtomicFiles.WORLD_READABLE);
    try {
      Sha256Tally tally = new Sha256Tally();
      progress.begin(entry.file(), -1);
      try (OutputStream file = Files.newOutputStream(tmp)) {
        new ProgressFetcher(fetcher, progress).fetch(url, MIRROR_FILE_CAP, tally.tee(file));
      } finally {
        progress.end();
      }
      String found = tally.sha256();
      if (!found.equals(entry.sha256())) {
        throw new ReleaseException(
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

  /** Extracts the verified files into a staging area, then makes the release visible. */
  private ReleaseRecord install(ReleaseRecord record, boolean update)
      throws ReleaseException, IOException, InterruptedException {
    String release = record.release();
    String staging = HostLayout.stagingName(release);
    storage.destroy(staging); // leftovers of an interrupted fetch
    boolean done = false;
    try {
      storage.create(staging);
      Path root = storage.create(HostLayout.rootName(staging));
      out.println(
          "extracting "
              + String.join(
                  ", ", record.files().stream().map(ReleaseRecord.FileRecord::name).toList())
              + " into "
              + layout.releaseRoot(release));
      TarExtractor.Session session = TarExtractor.withDefaults().open(root);
      for (ReleaseRecord.FileRecord f : record.files()) {
        unpack(layout.download(release).resolve(f.name()), session);
      }
      ExtractionResult result = session.finish();
      applyFileFlags(root, result.fileFlags());
      out.println("extracted " + result.members() + " entries (" + result.bytes() + " bytes)");
      freebsdUpdate(root, release, update);
      StateFiles.write(storage.path(staging).resolve("release.json"), record);
      storage.rename(staging, HostLayout.releaseName(release));
      done = true;
      return record;
    } catch (ArchiveException e) {
      throw new ReleaseException("refusing the release archive: " + e.getMessage(), e);
    } finally {
      if (!done) {
        storage.destroy(staging);
      }
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
              .withTimeout(java.time.Duration.ofHours(2)),
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

  private void freebsdUpdate(Path root, String release, boolean update)
      throws IOException, InterruptedException {
    if (!update) {
      out.println("freebsd-update: skipped (--no-update)");
      return;
    }
    if (os != HostOs.FREEBSD || !release.endsWith("-RELEASE")) {
      out.println(
          "freebsd-update: skipped ("
              + (os != HostOs.FREEBSD ? "not a FreeBSD host" : "not a -RELEASE")
              + ")");
      return;
    }
    Path work = Files.createTempDirectory("warder-freebsd-update");
    try {
      Command command =
          new Command(
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
              java.time.Duration.ofHours(2));
      runner.check(command);
    } finally {
      DirectoryTrees.delete(work);
    }
  }

  private void refuseExisting(String release)
      throws ReleaseException, IOException, InterruptedException {
    if (storage.exists(HostLayout.releaseName(release))) {
      throw new ReleaseException(
          "release "
              + release
              + " is already fetched; destroy it first with 'warder destroy -r "
              + release
              + "' to fetch it again");
    }
  }

  private static void checkFileName(String file) throws ReleaseException {
    if (!file.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\.txz")) {
      throw new ReleaseException(
          "expected a distribution file name like base.txz, found \"" + file + "\"");
    }
  }
}
