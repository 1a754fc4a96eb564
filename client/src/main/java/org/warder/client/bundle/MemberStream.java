package org.warder.client.bundle;

import java.io.IOException;
import java.io.OutputStream;
import org.warder.index.BundleManifest.Compression;
import org.warder.index.BundleManifest.Member;

/**
 * Writes one member through its compression into {@code out}, hashing the compressed bytes.
 * Stateless.
 */
final class MemberStream {
  private MemberStream() {}

  static Member write(
      String name, Compression compression, BundleContainer.MemberWriter writer, OutputStream out)
      throws IOException, InterruptedException, BundleException {
    DigestingOutputStream digest = new DigestingOutputStream(out);
    try (OutputStream compressed = Codecs.compress(compression, digest)) {
      writer.write(compressed);
    }
    digest.flush();
    return new Member(name, digest.count(), digest.sha256());
  }
}
