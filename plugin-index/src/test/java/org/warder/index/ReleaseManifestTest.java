package org.warder.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ReleaseManifestTest {
  private static final String SHA = "a".repeat(64);
  private static final String REAL =
      "base-dbg.txz\t"
          + "b".repeat(64)
          + "\t1234\tbase-dbg\t\"Base system (Debugging)\"\toff\n"
          + "base.txz\t"
          + SHA
          + "\t26521\tbase\t\"Base system (MANDATORY)\"\ton\n"
          + "lib32.txz\t"
          + "c".repeat(64)
          + "\t1100\tlib32\t\"32-bit compatibility libraries\"\ton\n";

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void testParse_freebsdFormat() throws CatalogException {
    ReleaseManifest m = ReleaseManifest.parse(bytes(REAL));
    assertThat(m.entries())
        .extracting(ReleaseManifest.Entry::file)
        .containsExactly("base-dbg.txz", "base.txz", "lib32.txz");
    ReleaseManifest.Entry base = m.entry("base.txz").orElseThrow();
    assertThat(base.sha256()).isEqualTo(SHA);
    assertThat(base.fileCount()).isEqualTo(26521);
    assertThat(base.description()).isEqualTo("Base system (MANDATORY)");
    assertThat(base.installByDefault()).isTrue();
    assertThat(m.format()).isEqualTo(REAL);
  }

  @Test
  void testParse_hostileLinesRefusedWithLineNumber() {
    String[][] cases = {
      {"../etc.txz\t" + SHA + "\t1\tx\t\"d\"\ton\n", "file name"},
      {"base.txz\t" + SHA.toUpperCase(Locale.ROOT) + "\t1\tbase\t\"d\"\ton\n", "sha256"},
      {"base.txz\t" + SHA + "\tmany\tbase\t\"d\"\ton\n", "file count"},
      {"base.txz\t" + SHA + "\t1\tbase\t\"d\"\n", "6 tab-separated"},
      {"base.txz\t" + SHA + "\t1\tbase\t\"d\"\tyes\n", "on or off"},
      {
        "base.txz\t" + SHA + "\t1\tbase\t\"d\"\ton\nbase.txz\t" + SHA + "\t1\tbase\t\"d\"\ton\n",
        "twice"
      },
      {"\n\n", "at least one"},
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> ReleaseManifest.parse(bytes(c[0])))
          .isInstanceOf(CatalogException.class)
          .hasMessageContaining(c[1]);
    }
    assertThatThrownBy(
            () -> ReleaseManifest.parse(bytes("x".repeat(ReleaseManifest.MAX_BYTES + 1))))
        .hasMessageContaining("at most");
  }
}
