package org.warder.client.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.warder.client.digest.Sha256Tally;
import org.warder.client.host.DirectoryTrees;
import org.warder.index.BundleManifest;
import org.warder.index.BundleManifest.Compression;
import org.warder.index.BundleManifest.Member;
import org.warder.signing.PrivateFiles;

/**
 * A bundle for a stream that cannot seek (standard output): each member is staged to a file in a
 * work directory while it is hashed, then all are streamed after bundle.json. Not thread-safe.
 */
final class StagedContainer implements BundleContainer {
  private final Path work;
  private final OutputStream out;

  /**
   * Stages under a new directory in {@code parent}; writes the bundle to {@code out} (flushed, not
   * closed).
   */
  StagedContainer(Path parent, OutputStream out) throws IOException {
    PrivateFiles.createDirectories(parent);
    this.work = Files.createTempDirectory(parent, ".export-");
    this.out = out;
  }

  @Override
  public Member add(String name, Compression compression, MemberWriter writer)
      throws IOException, InterruptedException, BundleException {
    try (OutputStream file = PrivateFiles.newOutputStream(work.resolve(name))) {
      return MemberStream.write(name, compression, writer, file);
    }
  }

  @Override
  public JailExporter.Result finish(BundleManifest manifest) throws IOException {
    Sha256Tally tally = new Sha256Tally();
    TarArchiveOutputStream tar = new TarArchiveOutputStream(tally.tee(out));
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
    byte[] json = manifest.toJson();
    tar.putArchiveEntry(entry(BundleManifest.FILE_NAME, json.length, manifest));
    tar.write(json);
    tar.closeArchiveEntry();
    for (Member m : manifest.members()) {
      tar.putArchiveEntry(entry(m.name(), m.length(), manifest));
      try (InputStream in = Files.newInputStream(work.resolve(m.name()))) {
        in.transferTo(tar);
      }
      tar.closeArchiveEntry();
    }
    tar.finish();
    tar.flush();
    return new JailExporter.Result(manifest, tally.sha256(), tally.count());
  }

  /** A member's tar header: a regular file of {@code size} bytes, mode 0644, the bundle's time. */
  static TarArchiveEntry entry(String name, long size, BundleManifest manifest) {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(size);
    e.setModTime(manifest.created().toEpochMilli());
    return e;
  }

  @Override
  public void close() throws IOException {
    DirectoryTrees.delete(work);
  }
}
