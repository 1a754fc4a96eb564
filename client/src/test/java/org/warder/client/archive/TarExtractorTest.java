package org.warder.client.archive;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.archive.TarExtractor.Limits;
import org.warder.client.archive.TarExtractor.Ownership;
import org.warder.client.host.DirectoryTrees;
import org.warder.client.testing.TreeSnapshot;

/**
 * {@link TarExtractor} on hostile archives built in the test (each refused, with nothing written
 * outside the destination) and on well-formed ones (modes, owners, times, links, fflags).
 */
class TarExtractorTest {
  @TempDir Path tmp;
  Path outside;
  Path canary;
  Path dest;
  Map<String, String> before;

  /** A name that must never appear in the host's /etc. */
  final String etcProbe = "warder-extract-probe-" + UUID.randomUUID();

  private final TarExtractor extractor = TarExtractor.withDefaults();

  @BeforeEach
  void setUp() throws IOException {
    outside = Files.createDirectory(tmp.resolve("outside"));
    canary = Files.writeString(outside.resolve("canary"), "original canary\n");
    dest = tmp.resolve("dest");
    before = outsideListing();
  }

  @AfterEach
  void nothingEscaped() throws IOException {
    assertThat(Files.readString(canary)).isEqualTo("original canary\n");
    assertThat(outsideListing()).as("everything under %s except dest/", tmp).isEqualTo(before);
    assertThat(Path.of("/etc", etcProbe)).doesNotExist();
    DirectoryTrees.delete(dest);
  }

  /** Every path under the temp dir outside the destination, with its content hash. */
  private Map<String, String> outsideListing() throws IOException {
    Map<String, String> listing = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(tmp)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        if (p.startsWith(dest)) {
          continue;
        }
        listing.put(
            tmp.relativize(p).toString(),
            Files.isRegularFile(p, NOFOLLOW_LINKS) ? TreeSnapshot.sha256(p) : "-");
      }
    }
    return listing;
  }

  private ExtractionResult extract(byte[] tar) throws ArchiveException, IOException {
    return extractor.extract(new ByteArrayInputStream(tar), dest);
  }

  // ---- names ----

  @Test
  void testExtract_dotDotRefused() {
    for (String name :
        new String[] {
          "../escaped", "a/../../escaped", "./../escaped", "a/b/../../..", "..", "x/.."
        }) {
      byte[] tar = new TarBuilder().file(name, 0644, "boom").build();
      assertThatThrownBy(() -> extract(tar))
          .as(name)
          .isInstanceOf(UnsafeMemberNameException.class)
          .hasMessageContaining("'" + name + "'")
          .hasMessageContaining("expected a relative path inside the destination")
          .hasMessageContaining("'..' segment");
      assertThat(tmp.resolve("escaped")).doesNotExist();
      cleanDest();
    }
  }

  @Test
  void testExtract_absoluteNameRefused() throws Exception {
    byte[] tar = new TarBuilder().file(canary.toString(), 0644, "overwritten").build();
    assertThatThrownBy(() -> extract(tar))
        .isInstanceOf(UnsafeMemberNameException.class)
        .hasMessageContaining("a leading '/'")
        .satisfies(e -> assertThat(((ArchiveException) e).member()).contains(canary.toString()));
  }

  @Test
  void testExtract_longAbsoluteNameInPaxHeaderRefused() {
    // commons-compress strips leading slashes from pax and GNU long names; the extractor must
    // still see them.
    String name = outside.resolve("x".repeat(150)).toString();
    for (boolean gnu : new boolean[] {false, true}) {
      byte[] tar = new TarBuilder(gnu).file(name, 0644, "boom").build();
      assertThatThrownBy(() -> extract(tar))
          .as(gnu ? "GNU long name" : "pax path")
          .isInstanceOf(UnsafeMemberNameException.class)
          .hasMessageContaining("a leading '/'");
      cleanDest();
    }
    assertThat(outside.resolve("x".repeat(150))).doesNotExist();
  }

  // ---- symlinks ----

  @Test
  void testExtract_fileThroughAbsoluteSymlinkToEtcRefused() {
    byte[] tar =
        new TarBuilder().symlink("etc", "/etc").file("etc/" + etcProbe, 0644, "root::0:0").build();
    assertThatThrownBy(() -> extract(tar))
        .isInstanceOf(WriteThroughSymlinkException.class)
        .hasMessageContaining("'etc/" + etcProbe + "'")
        .hasMessageContaining("expected 'etc' to be a real directory, found a symlink to '/etc'")
        .satisfies(
            e -> {
              WriteThroughSymlinkException w = (WriteThroughSymlinkException) e;
              assertThat(w.symlink()).isEqualTo("etc");
              assertThat(w.symlinkTarget()).isEqualTo("/etc");
            });
  }

  @Test
  void testExtract_fileThroughSymlinkToOutsideRefused() {
    byte[] tar =
        new TarBuilder()
            .symlink("./etc", outside.toString())
            .file("./etc/canary", 0644, "overwritten")
            .build();
    assertThatThrownBy(() -> extract(tar)).isInstanceOf(WriteThroughSymlinkException.class);
  }

  @Test
  void testExtract_fileThroughDotDotSymlinkRefused() {
    byte[] tar = new TarBuilder().symlink("a", "..").file("a/escaped", 0644, "boom").build();
    assertThatThrownBy(() -> extract(tar))
        .isInstanceOf(WriteThroughSymlinkException.class)
        .hasMessageContaining("found a symlink to '..'");
    assertThat(tmp.resolve("escaped")).doesNotExist();
  }

  @Test
  void testExtract_directoryAndSymlinkThroughSymlinkRefused() {
    byte[] dir = new TarBuilder().symlink("a", "..").dir("a/sub", 0755).build();
    assertThatThrownBy(() -> extract(dir)).isInstanceOf(WriteThroughSymlinkException.class);
    cleanDest();
    byte[] nested =
        new TarBuilder().dir("d", 0755).symlink("d/up", "../..").symlink("d/up/link", "/").build();
    assertThatThrownBy(() -> extract(nested))
        .isInstanceOf(WriteThroughSymlinkException.class)
        .hasMessageContaining("'d/up'");
    assertThat(tmp.resolve("link")).doesNotExist();
  }

  @Test
  void testExtract_fileReplacingSymlinkRefused() throws Exception {
    byte[] tar =
        new TarBuilder()
            .symlink("link", canary.toString())
            .file("link", 0644, "overwritten")
            .build();
    assertThatThrownBy(() -> extract(tar))
        .isInstanceOf(MalformedArchiveException.class)
        .hasMessageContaining("found it a second time");
  }

  @Test
  void testExtract_memberUnderARegularFileRefused() {
    byte[] tar = new TarBuilder().file("f", 0644, "x").file("f/g", 0644, "y").build();
    assertThatThrownBy(() -> extract(tar))
        .isInstanceOf(MalformedArchiveException.class)
        .hasMessageContaining("expected 'f' to be a directory, found a regular file");
  }

  // ---- hardlinks ----

  @Test
  void testExtract_hardlinkToAbsolutePathRefused() {
    byte[] tar = new TarBuilder().hardlink("shadow", "/etc/shadow").build();
    assertThatThrownBy(() -> extract(tar))
        .isInstanceOf(EscapingHardlinkException.class)
        .hasMessageContaining("refusing hardlink 'shadow' -> '/etc/shadow'")
        .hasMessageContaining("expected the target to be a regular file extracted earlier")
        .hasMessageContaining("a leading '/'");
    assertThat(dest.resolve("shadow")).doesNotExist();
  }

  @Test
  void testExtract_hardlinkOutOfTheTreeRefused() {
    for (String target :
        new String[] {
          "../outside/canary", "a/../../outside/canary", canary.toString(), "/" + "y".repeat(150)
        }) {
      byte[] tar = new TarBuilder().dir("a", 0755).hardlink("a/h", target).build();
      assertThatThrownBy(() -> extract(tar))
          .as(target)
          .isInstanceOf(EscapingHardlinkException.class)
          .satisfies(
              e -> assertThat(((EscapingHardlinkException) e).linkTarget()).isEqualTo(target));
      cleanDest();
    }
  }

  @Test
  void testExtract_hardlinkToAnythingButAnEarlierFileRefused() {
    byte[] toDir = new TarBuilder().dir("d", 0755).hardlink("h", "d").build();
    assertThatThrownBy(() -> extract(toDir))
        .isInstanceOf(EscapingHardlinkException.class)
        .hasMessageContaining("found a directory");
    cleanDest();
    byte[] toSymlink = new TarBuilder().symlink("s", canary.toString()).hardlink("h", "s").build();
    assertThatThrownBy(() -> extract(toSymlink))
        .isInstanceOf(EscapingHardlinkException.class)
        .hasMessageContaining("found a symlink");
    cleanDest();
    byte[] throughSymlink =
        new TarBuilder().symlink("s", outside.toString()).hardlink("h", "s/canary").build();
    assertThatThrownBy(() -> extract(throughSymlink))
        .isInstanceOf(EscapingHardlinkException.class)
        .hasMessageContaining("no member of that name earlier");
    cleanDest();
    byte[] forward = new TarBuilder().hardlink("h", "later").file("later", 0644, "x").build();
    assertThatThrownBy(() -> extract(forward))
        .isInstanceOf(EscapingHardlinkException.class)
        .hasMessageContaining("no member of that name earlier");
  }

  // ---- special files ----

  @Test
  void testExtract_characterDeviceRefused() {
    byte[] tar = new TarBuilder().dir("dev", 0755).charDevice("dev/mem", 2, 0).build();
    assertThatThrownBy(() -> extract(tar))
        .isInstanceOf(SpecialFileException.class)
        .hasMessageContaining("refusing member 'dev/mem'")
        .hasMessageContaining("found a character device (2,0)")
        .satisfies(
            e ->
                assertThat(((SpecialFileException) e).kind())
                    .isEqualTo(SpecialFileException.Kind.CHARACTER_DEVICE));
    assertThat(dest.resolve("dev/mem")).doesNotExist();
  }

  @Test
  void testExtract_blockDeviceRefused() {
    byte[] tar = new TarBuilder().blockDevice("dev/sda", 8, 0).build();
    assertThatThrownBy(() -> extract(tar))
        .isInstanceOf(SpecialFileException.class)
        .hasMessageContaining("found a block device (8,0)");
  }

  @Test
  void testExtract_fifoRefused() {
    byte[] tar = new TarBuilder().fifo("var/run/fifo").build();
    assertThatThrownBy(() -> extract(tar))
        .isInstanceOf(SpecialFileException.class)
        .hasMessageContaining("found a FIFO");
  }

  @Test
  void testExtract_otherMemberTypesRefused() {
    byte[] tar = new TarBuilder().raw("label", (byte) 'V').build();
    assertThatThrownBy(() -> extract(tar))
        .isInstanceOf(MalformedArchiveException.class)
        .hasMessageContaining("found type 'V' (GNU volume label)");
  }

  // ---- sizes and malformed archives ----

  @Test
  void testExtract_sizeLimits() throws Exception {
    byte[] content = new byte[2000];
    TarExtractor small = new TarExtractor(new Limits(1000, 1 << 20, 100, 4096), Ownership.IGNORE);
    byte[] tar = new TarBuilder().file("big", 0644, content).build();
    assertThatThrownBy(() -> small.extract(new ByteArrayInputStream(tar), dest))
        .isInstanceOf(SizeLimitException.class)
        .hasMessageContaining("expected member size in bytes of at most 1000, found 2000");
    assertThat(dest.resolve("big")).doesNotExist();
    cleanDest();

    TarExtractor total = new TarExtractor(new Limits(1 << 20, 3000, 100, 4096), Ownership.IGNORE);
    byte[] two = new TarBuilder().file("a", 0644, content).file("b", 0644, content).build();
    assertThatThrownBy(() -> total.extract(new ByteArrayInputStream(two), dest))
        .isInstanceOf(SizeLimitException.class)
        .hasMessageContaining("total size in bytes of at most 3000, found 4000");
    cleanDest();

    TarExtractor few = new TarExtractor(new Limits(1 << 20, 1 << 20, 2, 4096), Ownership.IGNORE);
    byte[] three = new TarBuilder().dir("a", 0755).dir("b", 0755).dir("c", 0755).build();
    assertThatThrownBy(() -> few.extract(new ByteArrayInputStream(three), dest))
        .isInstanceOf(SizeLimitException.class)
        .hasMessageContaining("number of members of at most 2, found 3");
    cleanDest();

    TarExtractor shortNames =
        new TarExtractor(new Limits(1 << 20, 1 << 20, 9, 64), Ownership.IGNORE);
    byte[] longName = new TarBuilder().file("n".repeat(65), 0644, "x").build();
    assertThatThrownBy(() -> shortNames.extract(new ByteArrayInputStream(longName), dest))
        .isInstanceOf(UnsafeMemberNameException.class)
        .hasMessageContaining("longer than 64 bytes");
  }

  @Test
  void testExtract_garbageIsMalformed() {
    byte[] garbage = new byte[4096];
    new Random(1).nextBytes(garbage);
    assertThatThrownBy(() -> extract(garbage))
        .isInstanceOf(MalformedArchiveException.class)
        .hasMessageContaining("expected a valid tar header");
  }

  @Test
  void testExtract_truncatedDataIsMalformed() {
    byte[] tar = new TarBuilder().file("f", 0644, new byte[10_000]).build();
    byte[] cut = Arrays.copyOf(tar, 512 + 5000);
    assertThatThrownBy(() -> extract(cut))
        .isInstanceOf(MalformedArchiveException.class)
        .satisfies(e -> assertThat(((ArchiveException) e).member()).contains("f"));
  }

  @Test
  void testExtract_dataAfterTheEndMarkerIsMalformed() {
    byte[] tar = new TarBuilder().file("f", 0644, "x").build();
    byte[] second = new TarBuilder().file("hidden", 0644, "y").build();
    // Right after the two zero records, after 10 KiB of zeros, and after a single zero record.
    for (int at : new int[] {tar.length, tar.length + 10240, tar.length - 512}) {
      byte[] both = Arrays.copyOf(tar, at + second.length);
      System.arraycopy(second, 0, both, at, second.length);
      assertThatThrownBy(() -> extract(both))
          .as("second archive at %d", at)
          .isInstanceOf(MalformedArchiveException.class)
          .hasMessageContaining("expected only zero padding after the tar end-of-archive marker");
      assertThat(dest.resolve("hidden")).doesNotExist();
      cleanDest();
    }
    byte[] padded = Arrays.copyOf(tar, tar.length + 10240);
    assertThatCode(() -> extract(padded)).doesNotThrowAnyException();
  }

  @Test
  void testExtract_readFailureOfTheSourceStaysAnIoException() {
    byte[] tar = new TarBuilder().file("f", 0644, new byte[100_000]).build();
    InputStream checked =
        new InputStream() {
          private final ByteArrayInputStream in = new ByteArrayInputStream(tar);

          @Override
          public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (in.available() < tar.length - 20_000) {
              throw new IOException("disk on fire");
            }
            return in.read(b, off, Math.min(len, 4096));
          }
        };
    assertThatThrownBy(() -> extractor.extract(checked, dest))
        .isExactlyInstanceOf(IOException.class)
        .hasMessage("disk on fire");
  }

  @Test
  void testExtract_destinationMustBeNewOrEmpty() throws Exception {
    Files.createDirectory(dest);
    Files.writeString(dest.resolve("old"), "x");
    byte[] tar = new TarBuilder().file("f", 0644, "x").build();
    assertThatThrownBy(() -> extract(tar))
        .isInstanceOf(DestinationNotEmptyException.class)
        .hasMessageContaining("expected " + dest + " to be a new or empty directory");
    cleanDest();
    Files.createSymbolicLink(dest, outside);
    assertThatThrownBy(() -> extract(tar))
        .isInstanceOf(DestinationNotEmptyException.class)
        .hasMessageContaining("found a symlink");
    Files.delete(dest);
  }

  // ---- what is kept ----

  @Test
  void testExtract_keepsModesTimesLinksAndFlags() throws Exception {
    FileTime old = FileTime.from(Instant.parse("2001-02-03T04:05:06Z"));
    Files.createDirectory(dest);
    Files.setAttribute(dest, "unix:mode", 0750);
    byte[] tar =
        new TarBuilder()
            .pax("SCHILY.fflags", "schg")
            .dir("./", 0755)
            .dir("./bin", 0755)
            .pax("SCHILY.fflags", "schg")
            .file("./bin/su", 04555, "su binary")
            .file("./bin/wall", 02555, "wall binary")
            .hardlink("./bin/su-again", "./bin/su")
            .symlink("./bin/sh", "su")
            .dir("./etc", 0755)
            .symlink("./etc/termcap", "/usr/share/misc/termcap")
            .dir("./tmp", 01777)
            .dir("./root", 0700)
            .mtime(old)
            .pax("SCHILY.fflags", "uarch,nodump")
            .file("./root/.profile", 0600, "PATH=/bin\n")
            .dir("./usr/share/ro", 0555)
            .file("./usr/share/ro/readme", 0444, "read only")
            .pax("SCHILY.fflags", "schg")
            .dir("./var/empty", 0555)
            .build();
    ExtractionResult result = extract(tar);

    assertThat(result.files()).isEqualTo(4);
    assertThat(result.directories()).isEqualTo(7);
    assertThat(result.symlinks()).isEqualTo(2);
    assertThat(result.hardlinks()).isEqualTo(1);
    assertThat(result.members()).isEqualTo(14);
    assertThat(result.bytes()).isEqualTo(9 + 11 + 10 + 9);
    assertThat(result.fileFlags())
        .containsExactly(
            new FileFlags("bin/su", "schg"),
            new FileFlags("root/.profile", "uarch,nodump"),
            new FileFlags("var/empty", "schg"));

    assertThat(mode(".")).as("the ./ member leaves the destination alone").isEqualTo(0750);
    assertThat(mode("bin/su")).isEqualTo(04555);
    assertThat(mode("bin/wall")).isEqualTo(02555);
    assertThat(mode("tmp")).isEqualTo(01777);
    assertThat(mode("root")).isEqualTo(0700);
    assertThat(mode("usr/share/ro")).isEqualTo(0555);
    assertThat(mode("usr/share")).as("implicit parent").isEqualTo(0755);
    assertThat(Files.readString(dest.resolve("usr/share/ro/readme"))).isEqualTo("read only");
    assertThat(Files.readSymbolicLink(dest.resolve("etc/termcap")))
        .hasToString("/usr/share/misc/termcap");
    assertThat(Files.readSymbolicLink(dest.resolve("bin/sh"))).hasToString("su");
    assertThat(Files.getAttribute(dest.resolve("bin/su-again"), "unix:ino"))
        .isEqualTo(Files.getAttribute(dest.resolve("bin/su"), "unix:ino"));
    assertThat(Files.getLastModifiedTime(dest.resolve("root/.profile"))).isEqualTo(old);
    assertThat(Files.getLastModifiedTime(dest.resolve("root"))).isEqualTo(TarBuilder.MTIME);
    assertThat(Files.getLastModifiedTime(dest.resolve("etc/termcap"), NOFOLLOW_LINKS))
        .isEqualTo(TarBuilder.MTIME);
    assertThat(Files.getLastModifiedTime(dest)).as("the ./ member").isNotEqualTo(TarBuilder.MTIME);
  }

  @Test
  void testExtract_numericOwnersAsRoot() throws Exception {
    assumeThat(Ownership.forThisProcess()).as("running as root").isEqualTo(Ownership.NUMERIC);
    byte[] tar =
        new TarBuilder()
            .owner(1001, 1002)
            .dir("home/user", 0750)
            .file("home/user/notes", 04750, "x")
            .symlink("home/user/link", "notes")
            .owner(0, 0)
            .file("etc/motd", 0644, "hi")
            .build();
    extract(tar);
    assertThat(owner("home/user")).isEqualTo("1001:1002");
    assertThat(owner("home/user/notes")).isEqualTo("1001:1002");
    assertThat(mode("home/user/notes")).as("setuid survives chown").isEqualTo(04750);
    assertThat(owner("home/user/link")).isEqualTo("1001:1002");
    assertThat(owner("etc/motd")).isEqualTo("0:0");
  }

  @Test
  void testExtract_ignoredOwnersStayTheExtractingUser() throws Exception {
    TarExtractor ignoring = new TarExtractor(Limits.defaults(), Ownership.IGNORE);
    byte[] tar = new TarBuilder().owner(1001, 1002).file("f", 0644, "x").build();
    ignoring.extract(new ByteArrayInputStream(tar), dest);
    assertThat(Files.getAttribute(dest.resolve("f"), "unix:uid"))
        .isEqualTo(Files.getAttribute(tmp, "unix:uid"));
  }

  @Test
  void testExtract_readsTheSourceToItsEnd() throws Exception {
    byte[] tar = new TarBuilder().file("f", 0644, "x").build();
    ByteArrayInputStream in = new ByteArrayInputStream(tar);
    extractor.extract(in, dest);
    assertThat(in.available()).isZero();
  }

  @Test
  void testDeleteTree_removesAPartialTreeWithReadOnlyDirectories() throws Exception {
    byte[] tar = new TarBuilder().dir("ro", 0555).file("ro/f", 0444, "x").build();
    extract(tar);
    assertThat(mode("ro")).isEqualTo(0555);
    DirectoryTrees.delete(dest);
    assertThat(dest).doesNotExist();
  }

  /**
   * Found by TarExtractorPropertyTest: the host refused such a name with an IOException, not a
   * refusal.
   */
  @Test
  void testExtract_fileNameLongerThanNameMaxRefused() throws Exception {
    String longest = "x".repeat(255);
    extract(new TarBuilder().file("d/" + longest, 0644, "ok").build());
    assertThat(dest.resolve("d/" + longest)).hasContent("ok");
    cleanDest();
    for (String name :
        new String[] {"y".repeat(256), "d/" + "y".repeat(300) + "/f", "é".repeat(128)}) {
      byte[] tar = new TarBuilder().file(name, 0644, "boom").build();
      assertThatThrownBy(() -> extract(tar))
          .as(name)
          .isInstanceOf(UnsafeMemberNameException.class)
          .hasMessageContaining("expected a relative path inside the destination")
          .hasMessageContaining("a file name (path segment) longer than 255 bytes");
      cleanDest();
    }
  }

  @Test
  void testExtract_nonAsciiNames() throws Exception {
    byte[] tar =
        new TarBuilder()
            .file("usr/share/locale/café", 0644, "x".getBytes(StandardCharsets.UTF_8))
            .build();
    assumeThat(System.getProperty("sun.jnu.encoding")).isEqualToIgnoringCase("UTF-8");
    extract(tar);
    assertThat(dest.resolve("usr/share/locale/café")).hasContent("x");
  }

  @Test
  void testExtract_oldStyleDirectoryAndContiguousFile() throws Exception {
    byte[] tar =
        new TarBuilder()
            .raw("olddir/", TarConstants.LF_OLDNORM)
            .raw("c", TarConstants.LF_CONTIG)
            .build();
    ExtractionResult r = extract(tar);
    assertThat(dest.resolve("olddir")).isDirectory();
    assertThat(dest.resolve("c")).isRegularFile();
    assertThat(r.directories()).isEqualTo(1);
    assertThat(r.files()).isEqualTo(1);
  }

  private int mode(String path) throws IOException {
    return (Integer) Files.getAttribute(dest.resolve(path), "unix:mode", NOFOLLOW_LINKS) & 07777;
  }

  private String owner(String path) throws IOException {
    Path p = dest.resolve(path);
    return Files.getAttribute(p, "unix:uid", NOFOLLOW_LINKS)
        + ":"
        + Files.getAttribute(p, "unix:gid", NOFOLLOW_LINKS);
  }

  private void cleanDest() {
    try {
      DirectoryTrees.delete(dest);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
