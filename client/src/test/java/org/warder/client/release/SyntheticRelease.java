package org.warder.client.release;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;
import org.warder.signing.Digests;
import org.warder.signing.testing.TestFiles;

/**
 * A small FreeBSD-like release distribution built in the test: a rootfs around the statically
 * linked busybox (Debian's busybox-static), packed as a pax tar with numeric owners, absolute
 * symlink targets, a hardlink, a setuid file and file flags, compressed as a multi-block .txz, with
 * a FreeBSD MANIFEST.
 */
public final class SyntheticRelease {
  /** Every member's mtime: whole seconds, so the archives are reproducible byte for byte. */
  static final java.nio.file.attribute.FileTime MTIME =
      java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2024-11-29T00:00:00Z"));

  private static final Map<String, Path> BUILT = new HashMap<>();

  private SyntheticRelease() {}

  /** Writes {@code dir/base.txz} (and {@code lib32.txz} when asked) and {@code dir/MANIFEST}. */
  public static void write(Path dir, boolean lib32, int padKiB) throws IOException {
    write(dir, lib32, padKiB, Map.of(), Map.of());
  }

  /**
   * As {@link #write(Path, boolean, int)}, with extra files in base (path → content): {@code
   * executables} of mode 0755 and {@code files} of mode 0644.
   */
  public static void write(
      Path dir,
      boolean lib32,
      int padKiB,
      Map<String, byte[]> executables,
      Map<String, byte[]> files)
      throws IOException {
    Path built = built(new Contents(lib32, padKiB, executables, files));
    Files.createDirectories(dir);
    try (Stream<Path> made = Files.list(built)) {
      for (Path file : made.toList()) {
        Files.copy(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** What a release holds, as {@link #write} was asked; its key names its archives' bytes. */
  private record Contents(
      boolean lib32, int padKiB, Map<String, byte[]> executables, Map<String, byte[]> files) {
    String key() {
      StringBuilder key = new StringBuilder().append(lib32).append(' ').append(padKiB);
      for (Map<String, byte[]> extra : List.of(executables, files)) {
        key.append('|');
        new TreeMap<>(extra)
            .forEach(
                (path, bytes) -> key.append(path).append('=').append(Digests.sha256Hex(bytes)));
      }
      return key.toString();
    }
  }

  /**
   * The release with {@code contents}, built once per JVM: the archives are the same byte for byte
   * every time, and compressing them is most of a test's CPU time when it publishes a release.
   */
  private static synchronized Path built(Contents contents) throws IOException {
    Path dir = BUILT.get(contents.key());
    if (dir == null) {
      dir = TestFiles.directoryUntilExit("warder-synthetic-release");
      build(dir, contents);
      BUILT.put(contents.key(), dir);
    }
    return dir;
  }

  private static void build(Path dir, Contents contents) throws IOException {
    byte[] busybox = Files.readAllBytes(Path.of("/bin/busybox"));
    StringBuilder manifest = new StringBuilder();
    Path base = dir.resolve("base.txz");
    int count =
        writeTxz(
            base,
            tar -> {
              dirEntry(tar, "./", 0755);
              dirEntry(tar, "bin/", 0755);
              file(tar, "bin/busybox", busybox, 0555, 0, 0, Map.of());
              for (String applet :
                  java.util.List.of(
                      "sh",
                      "sleep",
                      "ps",
                      "hostname",
                      "cat",
                      "echo",
                      "id",
                      "ip",
                      "env",
                      "touch",
                      "mkdir",
                      "rm",
                      "cp",
                      "sed",
                      "grep",
                      "wget",
                      "tar",
                      "sha256sum",
                      "chmod",
                      "test",
                      "true",
                      "false",
                      "sysctl",
                      "wc",
                      "head",
                      "tr",
                      "sort",
                      "[",
                      "cut",
                      "uname",
                      "mv")) {
                symlink(tar, "bin/" + applet, "busybox");
              }
              hardlink(tar, "bin/ls", "bin/busybox");
              dirEntry(tar, "etc/", 0755);
              file(
                  tar,
                  "etc/rc.conf",
                  "hostname=\"base\"\n".getBytes(StandardCharsets.UTF_8),
                  0644,
                  0,
                  0,
                  Map.of());
              file(
                  tar,
                  "etc/rc",
                  "#!/bin/sh\necho rc ran > /var/run/rc.ran\n".getBytes(StandardCharsets.UTF_8),
                  0755,
                  0,
                  0,
                  Map.of());
              file(
                  tar,
                  "etc/rc.shutdown",
                  "#!/bin/sh\necho stopped >> /var/run/rc.ran\n".getBytes(StandardCharsets.UTF_8),
                  0755,
                  0,
                  0,
                  Map.of());
              dirEntry(tar, "var/", 0755);
              dirEntry(tar, "var/run/", 0755);
              symlink(tar, "etc/termcap", "/usr/share/misc/termcap");
              dirEntry(tar, "usr/", 0755);
              dirEntry(tar, "usr/bin/", 0755);
              symlink(tar, "usr/bin/env", "/bin/busybox");
              dirEntry(tar, "usr/local/", 0755);
              dirEntry(tar, "usr/sbin/", 0755);
              for (Map.Entry<String, byte[]> e : new TreeMap<>(contents.executables()).entrySet()) {
                file(tar, e.getKey(), e.getValue(), 0755, 0, 0, Map.of());
              }
              for (Map.Entry<String, byte[]> e : new TreeMap<>(contents.files()).entrySet()) {
                file(tar, e.getKey(), e.getValue(), 0644, 0, 0, Map.of());
              }
              file(
                  tar,
                  "usr/bin/passwd",
                  "#!/bin/sh\necho passwd\n".getBytes(StandardCharsets.UTF_8),
                  04555,
                  0,
                  0,
                  Map.of("SCHILY.fflags", "schg"));
              dirEntry(tar, "usr/share/", 0755);
              dirEntry(tar, "usr/share/misc/", 0755);
              file(
                  tar,
                  "usr/share/misc/termcap",
                  "# termcap\n".getBytes(StandardCharsets.UTF_8),
                  0444,
                  0,
                  0,
                  Map.of());
              file(
                  tar,
                  "usr/share/misc/padding",
                  pad(contents.padKiB()),
                  0644,
                  1001,
                  1002,
                  Map.of());
              dirEntry(tar, "root/", 0700);
              dirEntry(tar, "tmp/", 01777);
            });
    manifest
        .append("base.txz\t")
        .append(Digests.sha256Hex(base))
        .append('\t')
        .append(count)
        .append("\tbase\t\"Base system (MANDATORY)\"\ton\n");
    if (contents.lib32()) {
      Path l32 = dir.resolve("lib32.txz");
      int n =
          writeTxz(
              l32,
              tar -> {
                dirEntry(tar, "./", 0755);
                dirEntry(tar, "usr/", 0755);
                dirEntry(tar, "usr/lib32/", 0755);
                file(
                    tar,
                    "usr/lib32/libc.so.7",
                    "32-bit libc".getBytes(StandardCharsets.UTF_8),
                    0444,
                    0,
                    0,
                    Map.of());
              });
      manifest
          .append("lib32.txz\t")
          .append(Digests.sha256Hex(l32))
          .append('\t')
          .append(n)
          .append("\tlib32\t\"32-bit compatibility libraries\"\ton\n");
    }
    Files.writeString(dir.resolve("MANIFEST"), manifest.toString());
  }

  /** Deterministic filler so that the archive has several xz blocks. */
  private static byte[] pad(int kib) {
    byte[] out = new byte[kib * 1024];
    long x = 0x9E3779B97F4A7C15L;
    for (int i = 0; i < out.length; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      out[i] = (byte) (i % 3 == 0 ? x : 'a' + (i % 26));
    }
    return out;
  }

  @FunctionalInterface
  interface Content {
    void write(TarArchiveOutputStream tar) throws IOException;
  }

  private static int writeTxz(Path file, Content content) throws IOException {
    int[] members = {0};
    try (OutputStream raw = Files.newOutputStream(file);
        XZOutputStream xz = new XZOutputStream(raw, new LZMA2Options(1));
        BlockSplitter split = new BlockSplitter(xz, 64 * 1024);
        TarArchiveOutputStream tar =
            new TarArchiveOutputStream(split) {
              @Override
              public void putArchiveEntry(TarArchiveEntry entry) throws IOException {
                entry.setLastModifiedTime(MTIME);
                members[0]++;
                super.putArchiveEntry(entry);
              }
            }) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      content.write(tar);
      tar.finish();
    }
    return members[0];
  }

  /** Ends an xz block every {@code blockSize} bytes, as {@code xz -T0} makes multi-block files. */
  private static final class BlockSplitter extends java.io.FilterOutputStream {
    private final XZOutputStream xz;
    private final long blockSize;
    private long inBlock;

    BlockSplitter(XZOutputStream xz, long blockSize) {
      super(xz);
      this.xz = xz;
      this.blockSize = blockSize;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        int n = (int) Math.min(len, blockSize - inBlock);
        xz.write(b, off, n);
        inBlock += n;
        off += n;
        len -= n;
        if (inBlock == blockSize) {
          xz.endBlock();
          inBlock = 0;
        }
      }
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }
  }

  private static void dirEntry(TarArchiveOutputStream tar, String name, int mode)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(040000 | mode);
    e.setIds(0, 0);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static void file(
      TarArchiveOutputStream tar,
      String name,
      byte[] data,
      int mode,
      int uid,
      int gid,
      Map<String, String> pax)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(0100000 | mode);
    e.setSize(data.length);
    e.setIds(uid, gid);
    pax.forEach(e::addPaxHeader);
    tar.putArchiveEntry(e);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  private static void symlink(TarArchiveOutputStream tar, String name, String target)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
    e.setLinkName(target);
    e.setMode(0120755);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static void hardlink(TarArchiveOutputStream tar, String name, String target)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
    e.setLinkName(target);
    e.setMode(0100555);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }
}
