package org.warder.client.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;
import org.warder.client.digest.Sha256Tally;
import org.warder.index.BundleManifest;
import org.warder.index.BundleManifest.Compression;
import org.warder.index.BundleManifest.Member;

/**
 * A bundle written straight into a file, each member once: a slot for bundle.json (sized for the
 * longest the manifest can be, padded with spaces), then each member's data after a header filled
 * in when its length is known, then the end-of-archive blocks; at the end bundle.json goes into its
 * slot and the file is read once to hash it. Nothing is staged. Not thread-safe.
 */
final class FileContainer implements BundleContainer {
  private static final int BLOCK = 512;
  private final FileChannel file;
  private final int slot;

  /**
   * Starts a bundle in {@code file} (empty, positioned at 0) whose bundle.json takes at most {@code
   * maxManifest} bytes.
   */
  FileContainer(FileChannel file, int maxManifest) throws IOException {
    this.file = file;
    this.slot = padded(maxManifest);
    write(new byte[BLOCK + slot], 0);
    file.position(BLOCK + slot);
  }

  @Override
  public Member add(String name, Compression compression, MemberWriter writer)
      throws IOException, InterruptedException, BundleException {
    file.write(ByteBuffer.wrap(new byte[BLOCK])); // its header, filled in by finish

    OutputStream out =
        new java.io.BufferedOutputStream(Channels.newOutputStream(file), 1 << 16) {
          @Override
          public void close() throws IOException {
            flush(); // the channel stays open for the next member
          }
        };
    Member member = MemberStream.write(name, compression, writer, out);
    out.flush();
    int pad = (int) (padded(member.length()) - member.length());
    file.write(ByteBuffer.wrap(new byte[pad]));
    return member;
  }

  @Override
  public JailExporter.Result finish(BundleManifest manifest) throws IOException {
    long end = file.position();
    file.write(ByteBuffer.wrap(new byte[2 * BLOCK]));
    long position = BLOCK + (long) slot;
    for (Member m : manifest.members()) {
      write(header(m.name(), m.length(), manifest), position);
      position += BLOCK + padded(m.length());
    }
    if (position != end) {
      throw new IllegalStateException(
          "members written (" + end + " bytes) differ from the manifest (" + position + ")");
    }
    byte[] json = manifest.toJson();
    if (json.length > slot) {
      throw new IllegalStateException(
          "bundle.json of " + json.length + " bytes exceeds its slot of " + slot);
    }
    byte[] padded = Arrays.copyOf(json, slot);
    Arrays.fill(padded, json.length, slot, (byte) ' ');
    write(header(BundleManifest.FILE_NAME, slot, manifest), 0);
    write(padded, BLOCK);
    file.force(true);
    // the channel stays open: the caller owns it
    Sha256Tally tally = Sha256Tally.of(Channels.newInputStream(file.position(0)));
    return new JailExporter.Result(manifest, tally.sha256(), tally.count());
  }

  private static byte[] header(String name, long size, BundleManifest manifest) throws IOException {
    byte[] block = new byte[BLOCK];
    StagedContainer.entry(name, size, manifest)
        .writeEntryHeader(block, ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8), true);
    return block;
  }

  private void write(byte[] bytes, long at) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      at += file.write(b, at);
    }
  }

  private static long padded(long length) {
    return (length + BLOCK - 1) / BLOCK * BLOCK;
  }

  private static int padded(int length) {
    return (int) padded((long) length);
  }

  @Override
  public void close() {
    // nothing staged
  }
}
