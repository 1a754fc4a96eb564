package org.warder.client.release;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
import org.warder.client.digest.Sha256Tally;
import org.warder.client.progress.ProgressFetcher;
import org.warder.client.progress.ProgressListener;
import org.warder.client.progress.Reporter;
import org.warder.index.ReleaseManifest;
import org.warder.signing.AtomicFiles;
import org.warder.signing.Digests;
import org.warder.signing.tuf.Fetcher;

/**
 * A file of a plain FreeBSD mirror: its sha256 comes from the mirror's MANIFEST, its length is
 * known only once downloaded.
 */
final class MirrorFile implements DistributionFile {
  /** A plain mirror's distribution files are capped at this size (no signed length exists). */
  static final long CAP = 4L << 30;

  private final ReleaseManifest.Entry entry;
  private final URI url;
  private final Fetcher fetcher;

  MirrorFile(ReleaseManifest.Entry entry, URI url, Fetcher fetcher) {
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
        + CAP
        + " bytes (the MANIFEST gives no length), from "
        + url;
  }

  @Override
  public boolean fetch(Path dest, Reporter reporter, ProgressListener progress)
      throws ClientException, IOException {
    if (Files.exists(dest) && Digests.sha256Hex(dest).equals(entry.sha256())) {
      reporter.info(entry.file() + ": cached copy verified against MANIFEST");
      return false;
    }
    Path tmp =
        AtomicFiles.createTemp(
            dest.getParent(), dest.getFileName().toString(), AtomicFiles.WORLD_READABLE);
    try {
      Sha256Tally tally = new Sha256Tally();
      progress.begin(entry.file(), -1);
      try (OutputStream file = Files.newOutputStream(tmp)) {
        new ProgressFetcher(fetcher, progress).fetch(url, CAP, tally.tee(file));
      } finally {
        progress.end();
      }
      String found = tally.sha256();
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
      return true;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public ReleaseRecord.FileRecord record(Path dest) throws IOException {
    return new ReleaseRecord.FileRecord(entry.file(), Files.size(dest), entry.sha256());
  }
}
