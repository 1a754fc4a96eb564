package org.warder.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.warder.signing.testing.BoundedParse;
import org.warder.signing.testing.Mutations;

/**
 * Properties of FreeBSD release MANIFEST parsing: a mutated real MANIFEST parses or is refused with
 * a {@link CatalogException}; what parses formats as text that parses to the same entries.
 */
class ReleaseManifestPropertyTest {
  private static final List<byte[]> SEEDS =
      List.of(
          ("base-dbg.txz\t"
                  + "b".repeat(64)
                  + "\t1234\tbase-dbg\t\"Base system (Debugging)\"\toff\n"
                  + "base.txz\t"
                  + "a".repeat(64)
                  + "\t26521\tbase\t\"Base system (MANDATORY)\"\ton\n"
                  + "kernel.txz\t"
                  + "0123456789abcdef".repeat(4)
                  + "\t844\tkernel\t\"Kernel (MANDATORY)\"\ton\n"
                  + "lib32.txz\t"
                  + "c".repeat(64)
                  + "\t1100\tlib32\t\"32-bit compatibility libraries\"\ton\n")
              .getBytes(StandardCharsets.UTF_8));

  @Property(tries = 300)
  void testParse_mutatedManifest_entriesOrRefusal(@ForAll("mutated") byte[] text) {
    BoundedParse.parsedOrRefused(CatalogException.class, () -> ReleaseManifest.parse(text))
        .ifPresent(ReleaseManifestPropertyTest::assertFormatsAndReadsBack);
  }

  @Property(tries = 100)
  void testFormat_readsBackAsTheSameEntries(@ForAll("manifests") ReleaseManifest manifest) {
    assertFormatsAndReadsBack(manifest);
  }

  private static void assertFormatsAndReadsBack(ReleaseManifest manifest) {
    byte[] text = manifest.format().getBytes(StandardCharsets.UTF_8);
    assertThat(
            BoundedParse.parsedOrRefused(CatalogException.class, () -> ReleaseManifest.parse(text)))
        .contains(manifest);
  }

  @Provide
  Arbitrary<byte[]> mutated() {
    return Mutations.ofBytes(SEEDS);
  }

  @Provide
  Arbitrary<ReleaseManifest> manifests() {
    Arbitrary<ReleaseManifest.Entry> entry =
        Combinators.combine(
                Arbitraries.strings()
                    .withChars("abcz019._-")
                    .ofMinLength(1)
                    .ofMaxLength(12)
                    .filter(s -> Character.isLetterOrDigit(s.charAt(0)))
                    .map(s -> s + ".txz"),
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(64),
                Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.strings().withChars("abc-1 ").ofMaxLength(8),
                Arbitraries.strings().withChars("ABC (\")-,.").ofMaxLength(20),
                Arbitraries.of(true, false))
            .as(ReleaseManifest.Entry::new);
    return entry
        .list()
        .ofMinSize(1)
        .ofMaxSize(5)
        .uniqueElements(ReleaseManifest.Entry::file)
        .map(ReleaseManifest::new);
  }
}
