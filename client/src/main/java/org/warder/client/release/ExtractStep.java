package org.warder.client.release;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.archive.ArchiveException;
import org.warder.client.archive.ExtractionResult;
import org.warder.client.archive.FileFlags;
import org.warder.client.archive.ParallelXzInputStream;
import org.warder.client.archive.TarExtractor;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandRunner;
import org.warder.client.host.HostOs;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.client.storage.Storage;
import org.warder.signing.tuf.VerificationIOException;

/**
 * Extracts a release's verified files into a new staging dataset or directory (refusing unsafe
 * members), and on FreeBSD sets the file flags the archives carry. A failing run destroys what it
 * made; undo destroys the staging area.
 */
final class ExtractStep implements Step {
  private final String staging;
  private final Path shownRoot;
  private final DownloadStep download;
  private final Storage storage;
  private final CommandRunner runner;
  private final HostOs os;

  /** Whether the host has {@code xz}; looked up once. */
  private Optional<Boolean> nativeXz = Optional.empty();

  /** {@code shownRoot}: where the release's root will be, for the progress line. */
  ExtractStep(
      String staging,
      Path shownRoot,
      DownloadStep download,
      Storage storage,
      CommandRunner runner,
      HostOs os) {
    this.staging = staging;
    this.shownRoot = shownRoot;
    this.download = download;
    this.storage = storage;
    this.runner = runner;
    this.os = os;
  }

  @Override
  public String name() {
    return "extract";
  }

  @Override
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    lines.add("create " + staging + " and " + staging + "/root (destroying a leftover first)");
    for (DistributionFile f : download.files()) {
      lines.add(
          "extract "
              + download.path(f)
              + " into "
              + storage.path(staging + "/root")
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
      Path root = storage.create(staging + "/root");
      reporter.info(
          "extracting "
              + String.join(", ", download.files().stream().map(DistributionFile::file).toList())
              + " into "
              + shownRoot);
      TarExtractor.Session session = TarExtractor.withDefaults().open(root);
      for (DistributionFile f : download.files()) {
        Optional<DownloadStep.Deferred> deferred = download.deferred(f);
        if (deferred.isPresent() && nativeXz()) {
          unpackWhileDownloading(deferred.get(), session, reporter);
          continue;
        }
        if (deferred.isPresent()) {
          // whole, then decoded in the JVM
          deferred.get().fetch(OutputStream.nullOutputStream(), reporter);
        }
        unpack(download.path(f), session);
      }
      ExtractionResult result = session.finish();
      applyFileFlags(root, result.fileFlags());
      reporter.info("extracted " + result.members() + " entries (" + result.bytes() + " bytes)");
      done = true;
    } catch (ArchiveException e) {
      throw new ClientException(e.reason(), "refusing the release archive: " + e.getMessage(), e);
    } catch (VerificationIOException e) {
      throw new ClientException(
          ClientException.Reason.REFUSED,
          "refusing the download, nothing was kept: " + e.getMessage(),
          e);
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

  /**
   * Downloads a .txz through the host's {@code xz -T0} into the extraction: each chunk reaches xz
   * only once it matched its signed sha256, so the decoder and the extractor never see a byte that
   * was not verified, and they work while the rest downloads. A chunk that fails stops the
   * download, kills xz and fails the extraction, whose staging area then goes.
   */
  // the xz reader returns null: it is run for its effect (the extraction), its result is unused
  @SuppressWarnings("NullAway")
  private void unpackWhileDownloading(
      DownloadStep.Deferred deferred, TarExtractor.Session session, Reporter reporter)
      throws IOException, InterruptedException, ArchiveException {
    runner.filter(
        Command.of("xz", "-d", "-c", "-T0").withTimeout(Duration.ofHours(2)),
        stdin -> {
          deferred.fetch(stdin, reporter);
          return null;
        },
        in -> {
          session.extract(in);
          return null;
        });
  }

  /**
   * Decompresses a verified .txz into the extraction. The host's {@code xz -T0} (in FreeBSD's base
   * system; multithreaded) is used when present, as it decodes faster than any JVM decoder;
   * otherwise warder's own block-parallel decoder.
   */
  // the xz reader returns null: it is run for its effect (the extraction), its result is unused
  @SuppressWarnings("NullAway")
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
}
