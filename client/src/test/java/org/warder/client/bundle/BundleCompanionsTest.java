package org.warder.client.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.signing.Digests;

/**
 * The {@code .sha256} companion: written as {@code sha256sum -c} checks it, old forms still read.
 */
class BundleCompanionsTest {
  @TempDir Path dir;

  @Test
  void writeSha256_isCheckedBySha256sum() throws Exception {
    Path bundle = dir.resolve("www-2026-12-03.warder");
    Files.writeString(bundle, "a bundle's bytes");
    String sha256 = Digests.sha256Hex(bundle);

    BundleCompanions.writeSha256(bundle, sha256);

    Path companion = BundleCompanions.sha256File(bundle);
    assertThat(companion).hasContent(sha256 + "  www-2026-12-03.warder\n");
    assertThat(sha256sumCheck(companion)).isEqualTo("www-2026-12-03.warder: OK");
    Files.writeString(bundle, "changed bytes");
    assertThat(sha256sumCheck(companion)).startsWith("www-2026-12-03.warder: FAILED");
  }

  @Test
  void readSha256_readsTheSha256sumLineTheBareHexAndFreeBsdsLine() throws Exception {
    String hex = "ab".repeat(32);
    Path companion = dir.resolve("b.sha256");
    for (String text :
        new String[] {hex + "  b.warder\n", hex + "\n", "SHA256 (b.warder) = " + hex + "\n"}) {
      Files.writeString(companion, text);
      assertThat(BundleCompanions.readSha256(companion)).as(text).isEqualTo(hex);
    }
  }

  /** Runs the real {@code sha256sum -c FILE} in the companion's directory; returns its output. */
  private static String sha256sumCheck(Path companion) throws Exception {
    Process p =
        new ProcessBuilder("sha256sum", "-c", companion.getFileName().toString())
            .directory(companion.getParent().toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    int code = p.waitFor();
    assertThat(code).as(out).isEqualTo(out.endsWith(": OK") ? 0 : 1);
    return out;
  }
}
