package org.warder.client.archive;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.SeekableFileInputStream;
import org.tukaani.xz.SeekableXZInputStream;
import org.warder.client.archive.TarExtractor.Ownership;
import org.warder.client.testing.TreeSnapshot;
import org.warder.signing.testing.ExternalTools;

/**
 * {@link TarExtractor} against libarchive's {@code bsdtar}, the tar FreeBSD ships: a small
 * FreeBSD-like base (a static busybox, setuid and setgid files, a 0700 and a read-only directory, a
 * sticky {@code tmp}, absolute and relative symlinks, a hardlink, owners 0:0 and 1001:1002, {@code
 * SCHILY.fflags}) extracted by both, and the two trees compared path by path: type, mode, owner,
 * size, sha256, symlink target, mtime, and which paths share an inode. Then the same as a
 * multi-block {@code .txz} made by {@code bsdtar -c | xz -T2 --block-size=64KiB}, decoded by {@link
 * ParallelXzInputStream}. Needs root (owners), {@code bsdtar}, {@code xz} and busybox.
 */
class TarExtractorBsdtarTest {
  @TempDir static Path dir;
  static Path bsdtar;
  static Path xz;
  static byte[] busybox;

  static final FileTime T1 = FileTime.from(Instant.parse("2024-05-01T12:34:56Z"));
  static final FileTime T2 = FileTime.from(Instant.parse("2023-11-10T08:00:00.1234567Z"));

  @BeforeAll
  static void tools() throws Exception {
    bsdtar = ExternalTools.require("bsdtar", "libarchive-tools");
    xz = ExternalTools.require("xz", "xz-utils");
    busybox =
        Files.readAllBytes(ExternalTools.requireFile(Path.of("/bin/busybox"), "busybox-static"));
    if (Ownership.forThisProcess() != Ownership.NUMERIC) {
      ExternalTools.unavailable("comparing numeric owners needs root");
    }
  }

  /** A FreeBSD-like base in the shape of base.txz: "./" names, pax headers, fflags. */
  static byte[] freebsdLikeBase() {
    byte[] lib = new byte[300_000];
    new Random(3).nextBytes(lib);
    return new TarBuilder()
        .owner(0, 0)
        .mtime(T1)
        .dir("./", 0755)
        .dir("./bin", 0755)
        .pax("SCHILY.fflags", "schg")
        .file("./bin/busybox", 0555, busybox)
        .symlink("./bin/sh", "busybox")
        .hardlink("./bin/ls", "./bin/busybox")
        .dir("./etc", 0755)
        .symlink("./etc/termcap", "/usr/share/misc/termcap")
        .file("./etc/master.passwd", 0600, "root:*:0:0::0:0:Charlie &:/root:/bin/sh\n")
        .dir("./root", 0700)
        .file("./root/.profile", 0644, "PATH=/sbin:/bin:/usr/sbin:/usr/bin\n")
        .dir("./tmp", 01777)
        .dir("./sbin", 0755)
        .mtime(T2)
        .file("./sbin/init", 0555, "init")
        .mtime(T1)
        .dir("./usr", 0755)
        .dir("./usr/bin", 0755)
        .pax("SCHILY.fflags", "schg")
        .file("./usr/bin/su", 04555, "su")
        .owner(0, 4)
        .file("./usr/bin/wall", 02555, "wall")
        .owner(0, 0)
        .dir("./usr/lib", 0755)
        .file("./usr/lib/libwarder.so.1", 0444, lib)
        .symlink("./usr/lib/libwarder.so", "libwarder.so.1")
        .dir("./usr/share", 0755)
        .dir("./usr/share/misc", 0755)
        .file("./usr/share/misc/termcap", 0444, "dumb|80-column dumb tty:am:co#80:bl=^G:\n")
        .dir("./usr/share/ro", 0555)
        .file("./usr/share/ro/README", 0444, "read-only directory\n")
        .dir("./var", 0755)
        .pax("SCHILY.fflags", "schg")
        .dir("./var/empty", 0555)
        .dir("./home", 0755)
        .owner(1001, 1002)
        .dir("./home/user", 0750)
        .dir("./home/user/.ssh", 0700)
        .pax("SCHILY.fflags", "uarch")
        .file("./home/user/notes.txt", 0640, "owned by 1001:1002\n")
        .symlink("./home/user/link", "notes.txt")
        .build();
  }

  @Test
  void testExtract_sameTreeAsBsdtar() throws Exception {
    Path tar = dir.resolve("base.tar");
    Files.write(tar, freebsdLikeBase());
    Path ours = dir.resolve("ours");
    Path theirs = dir.resolve("theirs");

    ExtractionResult result;
    try (InputStream in = Files.newInputStream(tar)) {
      result = TarExtractor.withDefaults().extract(in, ours);
    }
    bsdtarExtract(tar, theirs);

    TreeSnapshot mine = TreeSnapshot.of(ours);
    TreeSnapshot reference = TreeSnapshot.of(theirs);
    assertThat(mine.nodes()).containsExactlyEntriesOf(reference.nodes());
    assertThat(mine.hardlinkGroups()).isEqualTo(reference.hardlinkGroups());

    // What both must have, so that agreeing on something wrong cannot pass.
    assertThat(mine.hardlinkGroups()).containsExactly("bin/busybox = bin/ls");
    assertThat(mine.nodes().get("bin/busybox").sha256()).isEqualTo(sha256(busybox));
    assertThat(mine.nodes().get("usr/bin/su").mode()).isEqualTo(04555);
    assertThat(mine.nodes().get("usr/bin/wall"))
        .extracting(n -> n.mode(), n -> n.gid())
        .containsExactly(02555, 4);
    assertThat(mine.nodes().get("tmp").mode()).isEqualTo(01777);
    assertThat(mine.nodes().get("root").mode()).isEqualTo(0700);
    assertThat(mine.nodes().get("usr/share/ro").mode()).isEqualTo(0555);
    assertThat(mine.nodes().get("etc/termcap").linkTarget()).isEqualTo("/usr/share/misc/termcap");
    assertThat(mine.nodes().get("usr/lib/libwarder.so").linkTarget()).isEqualTo("libwarder.so.1");
    assertThat(mine.nodes().get("home/user/notes.txt"))
        .extracting(n -> n.uid(), n -> n.gid(), n -> n.mode())
        .containsExactly(1001, 1002, 0640);
    assertThat(mine.nodes().get("home/user/link").uid()).isEqualTo(1001);
    assertThat(mine.nodes().get("sbin/init").mtime()).isEqualTo(T2.toInstant().toString());

    assertThat(result.files()).isEqualTo(10);
    assertThat(result.hardlinks()).isEqualTo(1);
    assertThat(result.symlinks()).isEqualTo(4);
    assertThat(result.directories()).isEqualTo(17);
    assertThat(result.fileFlags())
        .containsExactly(
            new FileFlags("bin/busybox", "schg"),
            new FileFlags("usr/bin/su", "schg"),
            new FileFlags("var/empty", "schg"),
            new FileFlags("home/user/notes.txt", "uarch"));
  }

  @Test
  void testExtract_multiBlockTxzThroughParallelXzSameAsBsdtar() throws Exception {
    // A tree to archive: the base extracted by bsdtar.
    Path tar = dir.resolve("base2.tar");
    Files.write(tar, freebsdLikeBase());
    Path source = dir.resolve("source");
    bsdtarExtract(tar, source);

    Path txz = dir.resolve("base.txz");
    ExternalTools.pipe(
        List.of(bsdtar.toString(), "-c", "--format=pax", "-f", "-", "-C", source.toString(), "."),
        List.of(xz.toString(), "-T2", "--block-size=64KiB", "-c"),
        txz);
    try (SeekableXZInputStream s =
        new SeekableXZInputStream(new SeekableFileInputStream(txz.toFile()))) {
      assertThat(s.getBlockCount()).as("64 KiB blocks of a ~2.5 MB tar").isGreaterThan(20);
    }

    Path ours = dir.resolve("ours-txz");
    try (ParallelXzInputStream in = ParallelXzInputStream.open(txz, 2)) {
      assertThat(in.threads()).isEqualTo(2);
      TarExtractor.withDefaults().extract(in, ours);
    }
    Path theirs = dir.resolve("theirs-txz");
    bsdtarExtract(txz, theirs);

    TreeSnapshot mine = TreeSnapshot.of(ours);
    TreeSnapshot reference = TreeSnapshot.of(theirs);
    assertThat(mine.nodes()).containsExactlyEntriesOf(reference.nodes());
    assertThat(mine.hardlinkGroups()).isEqualTo(reference.hardlinkGroups());
    // The round trip through bsdtar -c kept the original tree.
    assertThat(mine.nodes()).containsExactlyEntriesOf(TreeSnapshot.of(source).nodes());
    assertThat(mine.hardlinkGroups()).containsExactly("bin/busybox = bin/ls");
  }

  /**
   * {@code bsdtar -x -p --numeric-owner}, without fflags: on Linux bsdtar would map {@code schg} to
   * the ext4 immutable attribute, which nobody could then delete; the extractor reports fflags
   * instead of applying them.
   */
  static void bsdtarExtract(Path archive, Path into) throws Exception {
    Files.createDirectory(into);
    ExternalTools.runOk(
        null,
        null,
        bsdtar.toString(),
        "-x",
        "-p",
        "--numeric-owner",
        "--no-fflags",
        "-f",
        archive.toString(),
        "-C",
        into.toString());
    assertThat(Files.isDirectory(into, NOFOLLOW_LINKS)).isTrue();
  }

  static String sha256(byte[] data) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
  }
}
