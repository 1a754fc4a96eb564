package org.warder.client.release;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.plan.Step;
import org.warder.client.progress.ProgressListener;
import org.warder.client.progress.Reporter;
import org.warder.signing.AtomicFiles;
import org.warder.signing.Digests;

/**
 * Brings verified copies of a release's distribution files (and a mirror's MANIFEST) into its
 * download directory; a verified copy already there is used as it is. A file whose chunk hashes are
 * signed is left to {@link ExtractStep}, which downloads it while it extracts it ({@link
 * #deferred}); a copy already there is then checked chunk by chunk, and only its chunks that fail
 * are fetched. Undo removes what the run wrote, never a copy that was cached before.
 */
final class DownloadStep implements Step {
  private final Path dir;
  private final List<DistributionFile> files;
  private final Optional<byte[]> manifest;
  private final ProgressListener progress;
  private final List<Path> written = new ArrayList<>();
  private final Map<DistributionFile, ReleaseRecord.FileRecord> records = new HashMap<>();

  /** Files left to {@link ExtractStep}, which downloads them while it extracts them. */
  private final Map<DistributionFile, DistributionFile.Streaming> deferred = new HashMap<>();

  DownloadStep(
      Path dir,
      List<DistributionFile> files,
      Optional<byte[]> manifest,
      ProgressListener progress) {
    this.dir = dir;
    this.files = List.copyOf(files);
    this.manifest = manifest;
    this.progress = progress;
  }

  @Override
  public String name() {
    return "download";
  }

  @Override
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    lines.add("into " + dir + " (a verified copy already there is used as it is):");
    for (DistributionFile f : files) {
      lines.add("  " + f.describe());
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
    for (DistributionFile f : files) {
      Path dest = path(f);
      Optional<DistributionFile.Streaming> streaming = f.streaming(dest);
      if (streaming.isPresent()) {
        deferred.put(f, streaming.get());
        continue;
      }
      if (f.fetch(dest, reporter, progress)) {
        written.add(dest);
      }
      records.put(f, f.record(dest));
    }
  }

  /**
   * The download of {@code f}, left by {@link #run} for the extraction: it hands each verified
   * chunk to the stream it is given while it downloads; afterwards {@code f} is a verified copy
   * like the others. Empty unless {@code f} was left.
   */
  Optional<Deferred> deferred(DistributionFile f) {
    DistributionFile.Streaming streaming = deferred.get(f);
    if (streaming == null) {
      return Optional.empty();
    }
    Path dest = path(f);
    return Optional.of(
        (verified, reporter) -> {
          boolean existed = Files.exists(dest);
          streaming.fetch(dest, verified, reporter, progress);
          deferred.remove(f);
          if (!existed) {
            written.add(dest);
          }
          records.put(f, f.record(dest));
        });
  }

  /** A download left to the extraction. */
  @FunctionalInterface
  interface Deferred {
    /** Downloads, handing each verified chunk to {@code verified}; {@code verified} stays open. */
    void fetch(OutputStream verified, Reporter reporter) throws IOException;
  }

  @Override
  public void undo(Reporter reporter) throws IOException {
    for (int i = written.size() - 1; i >= 0; i--) {
      Files.deleteIfExists(written.get(i));
    }
  }

  /** The files, in order. */
  List<DistributionFile> files() {
    return files;
  }

  /** Where {@code file} is verified once this step ran. */
  Path path(DistributionFile file) {
    return dir.resolve(file.file());
  }

  /**
   * The records of the verified files, in order; complete once this step and the extraction ran.
   */
  List<ReleaseRecord.FileRecord> records() {
    return files.stream().filter(records::containsKey).map(records::get).toList();
  }
}
