package org.warder.client.archive;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeTry;
import net.jqwik.api.statistics.Statistics;
import org.warder.client.archive.TarExtractor.Limits;
import org.warder.client.archive.TarExtractor.Ownership;
import org.warder.client.host.DirectoryTrees;
import org.warder.client.testing.TreeSnapshot;
import org.warder.signing.testing.BoundedParse;
import org.warder.signing.testing.Mutations;

/**
 * {@link TarExtractor} on generated hostile archives (names with {@code ..}, absolute and long
 * names, symlinks and hardlinks out of the tree or through each other, devices, FIFOs, other member
 * types, raw pax and GNU long-name records, malformed ones included), as built and with byte edits
 * (truncation, corruption): each extraction ends, within a time limit, either with a tree or with
 * an {@link ArchiveException}; nothing outside the destination changes, the tree holds no device or
 * FIFO, and every hardlinked file in it has all its links inside it.
 */
class TarExtractorPropertyTest {
  /**
   * Fixed: the outcome statistics checked below must not depend on chance (failures still shrink).
   */
  private static final String FIXED_SEED = "20261202";

  private static final List<String> SEGMENTS =
      List.of("a", "b", "lnk", "..", ".", "", "\u00e9t\u00e9", "x".repeat(150), "y".repeat(300));
  private static final String PROBE = "warder-property-probe-" + UUID.randomUUID();
  private static final List<String> LINK_TARGETS =
      List.of(
          "a",
          "b",
          "a/b",
          "lnk",
          "..",
          "../..",
          "../outside",
          "../outside/canary",
          "/etc",
          "/etc/" + PROBE,
          "/",
          "",
          "lnk/a",
          "./a",
          "a//b/");
  private static final List<String> PAX_RECORDS =
      List.of(
          "path=a",
          "path=../outside/escaped",
          "path=/etc/" + PROBE,
          "path=lnk/a",
          "linkpath=../outside/canary",
          "linkpath=/etc/" + PROBE,
          "linkpath=a",
          "SCHILY.fflags=schg,uarch",
          "SCHILY.fflags=no flag",
          "size=-1",
          "size=99999999999999999999",
          "size=abc",
          "uid=-1",
          "gid=4294967295",
          "mtime=abc",
          "mtime=1e999",
          "GNU.sparse.name=../outside/escaped",
          "GNU.sparse.major=1",
          "=novalue",
          "novalue");

  private static Path base;
  private Path outside;
  private Path dest;
  private Map<String, String> before;

  private final TarExtractor extractor =
      new TarExtractor(new Limits(64 * 1024, 256 * 1024, 64, 4096), Ownership.forThisProcess());

  @BeforeContainer
  static void createBase() throws IOException {
    base = Files.createTempDirectory("warder-tar-property");
  }

  @AfterContainer
  static void removeBase() throws IOException {
    DirectoryTrees.delete(base);
  }

  @BeforeTry
  void createOutside() throws IOException {
    Path run = Files.createTempDirectory(base, "try");
    outside = Files.createDirectory(run.resolve("outside"));
    Files.writeString(outside.resolve("canary"), "original canary\n");
    dest = run.resolve("dest");
    before = listing(run);
  }

  @AfterTry
  void removeTry() throws IOException {
    DirectoryTrees.delete(dest.getParent());
  }

  @Property(tries = 150, seed = FIXED_SEED)
  void testExtract_generatedArchives_treeInsideOrRefusal(@ForAll("archives") byte[] tar)
      throws IOException {
    extractAndCheck(tar);
  }

  @Property(tries = 100, seed = FIXED_SEED)
  void testExtract_mutatedArchives_treeInsideOrRefusal(@ForAll("mutatedArchives") byte[] tar)
      throws IOException {
    extractAndCheck(tar);
  }

  private void extractAndCheck(byte[] tar) throws IOException {
    Optional<ExtractionResult> result =
        BoundedParse.parsedOrRefused(
            ArchiveException.class, () -> extractor.extract(new ByteArrayInputStream(tar), dest));
    Statistics.label("outcome").collect(result.isPresent() ? "extracted" : "refused");
    // Both outcomes must be reached, or the generators test nothing (typically 8-40 % extract).
    Statistics.label("outcome")
        .coverage(
            c -> {
              c.check("extracted").percentage(p -> p >= 2);
              c.check("refused").percentage(p -> p >= 20);
            });
    assertThat(Files.readString(outside.resolve("canary"))).isEqualTo("original canary\n");
    assertThat(listing(dest.getParent())).as("everything beside the destination").isEqualTo(before);
    assertThat(Path.of("/etc", PROBE)).doesNotExist();
    if (Files.exists(dest, NOFOLLOW_LINKS)) {
      assertInside(dest);
    }
  }

  /** No device or FIFO in the tree, and every link of each hardlinked file inside it. */
  private static void assertInside(Path tree) throws IOException {
    Map<Object, Integer> linksInTree = new HashMap<>();
    Map<Object, Integer> linkCounts = new HashMap<>();
    try (Stream<Path> paths = Files.walk(tree)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW_LINKS);
        assertThat(a.isRegularFile() || a.isDirectory() || a.isSymbolicLink())
            .as("type of %s", p)
            .isTrue();
        if (a.isRegularFile()) {
          linksInTree.merge(a.fileKey(), 1, Integer::sum);
          linkCounts.put(
              a.fileKey(), (Integer) Files.getAttribute(p, "unix:nlink", NOFOLLOW_LINKS));
        }
      }
    }
    assertThat(linksInTree).as("links in the tree of each file").isEqualTo(linkCounts);
  }

  /**
   * Every path under {@code dir} except the destination's, with the content hash of regular files.
   */
  private Map<String, String> listing(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        if (!p.startsWith(dest)) {
          out.put(
              dir.relativize(p).toString(),
              Files.isRegularFile(p, NOFOLLOW_LINKS) ? TreeSnapshot.sha256(p) : "-");
        }
      }
    }
    return out;
  }

  /**
   * One generated member: its kind, name, link target or data, and the raw special record before
   * it.
   */
  private record Member(
      int kind, String name, String link, int mode, String special, byte specialType) {
    void addTo(TarBuilder tar) {
      if (specialType == 'g' && special.indexOf('=') > 0 && !Character.isDigit(special.charAt(0))) {
        int eq = special.indexOf('=');
        tar.globalPax(special.substring(0, eq), special.substring(eq + 1));
      } else if (!special.isEmpty() && specialType != 'g') {
        byte[] data = special.getBytes(StandardCharsets.UTF_8);
        tar.special(specialType, specialType == 'x' ? pax(special) : data);
      }
      switch (kind) {
        case 0 -> tar.file(name, mode, name.endsWith("/") ? "" : link);
        case 1 -> tar.dir(name, mode);
        case 2 -> tar.symlink(name, link);
        case 3 -> tar.hardlink(name, link);
        case 4 -> tar.charDevice(name, 1, 3);
        case 5 -> tar.blockDevice(name, 8, 0);
        case 6 -> tar.fifo(name);
        default -> tar.raw(name, (byte) "VDMSN7A".charAt(kind - 7));
      }
    }

    /**
     * A pax record with its length, or (for a record starting with a digit) the record as given.
     */
    private static byte[] pax(String record) {
      if (Character.isDigit(record.charAt(0))) {
        return record.getBytes(StandardCharsets.UTF_8);
      }
      String body = " " + record + "\n";
      int length = body.getBytes(StandardCharsets.UTF_8).length;
      int digits = String.valueOf(length).length();
      int total = length + digits;
      if (String.valueOf(total).length() != digits) {
        total++;
      }
      return (total + body).getBytes(StandardCharsets.UTF_8);
    }
  }

  @Provide
  Arbitrary<byte[]> archives() {
    Arbitrary<String> name =
        Combinators.combine(
                Arbitraries.of("", "/", "./", "//"),
                Arbitraries.of(SEGMENTS).list().ofMinSize(1).ofMaxSize(4))
            .as((prefix, segments) -> prefix + String.join("/", segments));
    Arbitrary<String> special =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.just("")),
            Tuple.of(3, Arbitraries.of(PAX_RECORDS)),
            Tuple.of(
                1,
                Arbitraries.of(
                    "99999999999 path=a\n",
                    "2147483647 path=a\n",
                    "5 a=b\n",
                    "0 a=b\n",
                    "30 path=a\n",
                    "10 =\n\n\n\n\n")));
    Arbitrary<Member> member =
        Combinators.combine(
                Arbitraries.integers().between(0, 13),
                name,
                Arbitraries.of(LINK_TARGETS),
                Arbitraries.of(0644, 0755, 04755, 0, 07777, 0444),
                special,
                Arbitraries.of((byte) 'x', (byte) 'g', (byte) 'L', (byte) 'K'))
            .as(Member::new);
    return member
        .list()
        .ofMinSize(1)
        .ofMaxSize(8)
        .map(TarExtractorPropertyTest::build)
        .filter(Optional::isPresent)
        .map(Optional::get);
  }

  /** The archive of {@code members}, unless commons-compress refuses to write one of them. */
  private static Optional<byte[]> build(List<Member> members) {
    TarBuilder tar = new TarBuilder();
    try {
      members.forEach(m -> m.addTo(tar));
    } catch (UncheckedIOException | IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.of(tar.build());
  }

  @Provide
  Arbitrary<byte[]> mutatedArchives() {
    return archives().flatMap(tar -> Mutations.ofBytes(List.of(tar)));
  }
}
