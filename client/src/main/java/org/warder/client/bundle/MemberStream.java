package org.warder.client.bundle;

import java.io.IOException;
import java.io.OutputStream;
import org.warder.client.digest.Sha256Tally;
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
    Sha256Tally tally = new Sha256Tally();
    OutputStream digested = tally.tee(out);
    try (OutputStream compressed = Codecs.compress(compression, digested)) {
      writer.write(compressed);
    }
    digested.flush();
    return new Member(name, tally.count(), tally.sha256());
  }
}
