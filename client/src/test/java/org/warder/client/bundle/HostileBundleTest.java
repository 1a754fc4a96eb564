package org.warder.client.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.warder.client.testing.HostileStreams;
import org.warder.client.testing.RichTree;
import org.warder.client.testing.TestHost;
import org.warder.client.testing.ZfsPool;

/**
 * Bundles altered the ways an attacker or a broken disk alters them: every member tampered in turn,
 * truncation at many offsets, a lying bundle.json (lengths, member names with {@code ..} or
 * absolute paths, missing and extra members), archive members escaping the jail root. Each is
 * refused with a clear reason, and nothing is left behind: no jail, nothing in staging, nothing
 * outside.
 */
class HostileBundleTest {
  @TempDir Path tmp;
  TestHost exporter;
  TestHost importer;
  Path bundle;

  @BeforeEach
  void export() throws Exception {
    exporter = new TestHost(tmp.resolve("a"));
    importer = new TestHost(tmp.resolve("b"));
    exporter.ok("create", "-e", "-n", "web");
    RichTree.write(exporter.jailRoot("web"), 32);
    bundle = tmp.resolve("web.warder.tar");
    exporter.ok("export", "web", "-o", bundle.toString());
    Files.delete(
        BundleCompanions.sha256File(bundle)); // what each member's own digest catches, first
  }

  private String refusedImport(Path file) throws Exception {
    String err = importer.refused("import", file.toString());
    ExportImportTest.assertNothingLeft(importer, "web");
    return err;
  }

  private Path forged(Consumer<BundleForge> change) throws Exception {
    BundleForge forge = BundleForge.read(bundle);
    change.accept(forge);
    Path out = tmp.resolve("forged-" + System.nanoTime() + ".tar");
    forge.write(out);
    return out;
  }

  @Test
  void testTamper_everyMemberInTurn() throws Exception {
    List<String> names = BundleForge.read(bundle).names();
    assertThat(names).containsExactly("bundle.json", "files.tar", "root.tar.zst");
    for (String name : names) {
      for (double where : new double[] {0.0, 0.5, 0.999}) {
        Path bad =
            forged(
                f -> {
                  byte[] data = f.members.get(name);
                  data[(int) (where * (data.length - 1))] ^= 0x20;
                });
        String err = refusedImport(bad);
        if (name.equals("bundle.json")) {
          assertThat(err).containsAnyOf("bundle.json", "expected");
        } else {
          assertThat(err)
              .as(name + " at " + where)
              .contains("member " + name + ": expected sha256 ")
              .contains("the bundle was altered or damaged; nothing was imported");
        }
      }
    }
  }

  @Test
  void testTamper_consistentForgeryIsCaughtByTheCompanion() throws Exception {
    Path bad =
        forged(
            f -> {
              byte[] files = f.members.get("files.tar");
              files[600] ^= 1;
              try {
                f.rehash();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    Files.writeString(
        BundleCompanions.sha256File(bad), org.warder.signing.Digests.sha256Hex(bundle) + "\n");
    assertThat(refusedImport(bad))
        .contains(
            "expected the bundle's sha256 to be " + org.warder.signing.Digests.sha256Hex(bundle))
        .contains("(its .sha256)");
  }

  @Test
  void testTruncated_atManyOffsets() throws Exception {
    byte[] all = Files.readAllBytes(bundle);
    TreeSet<Integer> offsets =
        new TreeSet<>(
            List.of(
                0,
                1,
                100,
                511,
                512,
                513,
                1024,
                all.length / 3,
                all.length / 2,
                all.length - 1025,
                all.length - 1024,
                all.length - 513,
                all.length - 1));
    // each member's header and data boundaries
    int at = 0;
    for (byte[] data : BundleForge.read(bundle).members.values()) {
      offsets.addAll(List.of(at + 511, at + 512, at + 513, at + 512 + data.length - 1));
      at += 512 + ((data.length + 511) / 512) * 512;
    }
    for (int offset : offsets) {
      Path cut = tmp.resolve("cut-" + offset + ".tar");
      Files.write(cut, Arrays.copyOf(all, offset));
      String err = refusedImport(cut);
      assertThat(err).as("cut at " + offset).containsAnyOf("truncated", "no member at all");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"../files.tar", "/etc/passwd", "files.tar/../../x", "root.zfs", "evil.sh"})
  void testManifest_memberNamesOutsideTheFormat(String name) throws Exception {
    Path bad = forged(f -> edit(f, m -> ((ObjectNode) m.get("members").get(0)).put("name", name)));
    assertThat(refusedImport(bad))
        .contains("bundle.json $.members[0].name: expected one of files.tar, root.tar.zst")
        .contains("nothing was imported");
  }

  @Test
  void testManifest_lies() throws Exception {
    assertThat(
            refusedImport(
                forged(f -> edit(f, m -> ((ObjectNode) m.get("members").get(1)).put("length", 1)))))
        .contains("member root.tar.zst: expected 1 bytes as bundle.json says");
    assertThat(
            refusedImport(
                forged(
                    f -> edit(f, m -> ((ObjectNode) m.get("members").get(1)).put("length", -5)))))
        .contains("$.members[1].length: expected a byte count");
    assertThat(refusedImport(forged(f -> edit(f, m -> ((ArrayNode) m.get("members")).remove(1)))))
        .contains("$.members: expected the members files.tar, root.tar.zst");
    assertThat(
            refusedImport(
                forged(
                    f ->
                        edit(
                            f,
                            m ->
                                ((ArrayNode) m.get("members"))
                                    .add(m.get("members").get(1).deepCopy())))))
        .contains("each member once");
    assertThat(refusedImport(forged(f -> edit(f, m -> m.put("name", "../../etc")))))
        .contains("$.name: expected a jail name");
    assertThat(refusedImport(forged(f -> edit(f, m -> m.put("bundle_version", 2)))))
        .contains("$.bundle_version: expected 1");
    assertThat(refusedImport(forged(f -> edit(f, m -> m.put("format", "cpio")))))
        .contains("$.format: expected one of zfs, tar");
    assertThat(
            refusedImport(
                forged(
                    f ->
                        edit(
                            f,
                            m ->
                                ((ObjectNode) m.get("config")).put("ip4_addr", "not an address")))))
        .contains("bundle.json $.config:");
    assertThat(refusedImport(forged(f -> f.members.put("extra.sh", "echo owned".getBytes()))))
        .contains("found another member \"extra.sh\"");
    assertThat(refusedImport(forged(f -> f.members.remove("bundle.json"))))
        .contains(
            "expected a warder bundle, whose first member is bundle.json, found \"files.tar\"");
    Path big = tmp.resolve("big.tar");
    Files.write(big, new byte[] {1, 2, 3});
    assertThat(refusedImport(big))
        .contains("expected a warder bundle, whose first member is bundle.json, found no member");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"../../escaped.txt", "/tmp-escape-abs.txt", "link/escaped-through-link.txt"})
  void testRootArchive_membersEscapingTheRootAreRefused(String name) throws Exception {
    Path bad =
        forged(
            f -> {
              try {
                f.members.put("root.tar.zst", zstd(tar(name)));
                f.rehash();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    assertThat(refusedImport(bad)).contains("member root.tar.zst is refused:");
    assertThat(tmp.resolve("escaped.txt")).doesNotExist();
    assertThat(Path.of("/tmp-escape-abs.txt")).doesNotExist();
    assertThat(tmp.resolve("outside/escaped-through-link.txt")).doesNotExist();
  }

  @Test
  void testFilesArchive_mayNotCarryARoot() throws Exception {
    Path bad =
        forged(
            f -> {
              try {
                f.members.put("files.tar", tarOf(regular("root/etc/passwd", "owned\n")));
                f.rehash();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    assertThat(refusedImport(bad))
        .contains(
            "member files.tar is refused: files.tar holds root (a directory warder does"
                + " not know); expected only regular files and directories warder knows: a bundle carries only config.json,"
                + " manifest.json, plugin.json, devfs.json and plugin/ of the jail directory; nothing was imported");
  }

  /**
   * Issue 8 item 2: files.tar may carry only the regular files warder knows. A console.log linked
   * to a host file (which every start would append to as root), a link under plugin/, a device
   * node, a FIFO, a hard link, a name warder writes itself or does not know: each refused with the
   * entry named, nothing imported, the host file untouched.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "console-link",
        "plugin-link",
        "device",
        "fifo",
        "hardlink",
        "jail.conf",
        "unknown"
      })
  void testFilesArchive_onlyTheRegularFilesWarderKnows(String kind) throws Exception {
    Path hostFile = Files.writeString(tmp.resolve("host-file"), "host content\n");
    TarArchiveEntry[] entries =
        switch (kind) {
          case "console-link" ->
              new TarArchiveEntry[] {regular("config.json", "{}"), link("console.log", hostFile)};
          case "plugin-link" ->
              new TarArchiveEntry[] {directory("plugin/"), link("plugin/ui.json", hostFile)};
          case "device" -> new TarArchiveEntry[] {special("console.log", TarArchiveEntry.LF_CHR)};
          case "fifo" -> new TarArchiveEntry[] {special("console.log", TarArchiveEntry.LF_FIFO)};
          case "hardlink" ->
              new TarArchiveEntry[] {
                regular("plugin.json", "{}"), hardlink("manifest.json", "plugin.json")
              };
          case "jail.conf" ->
              new TarArchiveEntry[] {
                regular("jail.conf", "web { exec.prestart = 'touch /pwned'; }")
              };
          default -> new TarArchiveEntry[] {regular("evil.sh", "#!/bin/sh\n")};
        };
    String expected =
        switch (kind) {
          case "console-link" ->
              "files.tar holds console.log (a symbolic link to " + hostFile + ")";
          case "plugin-link" ->
              "files.tar holds plugin/ui.json (a symbolic link to " + hostFile + ")";
          case "device" -> "found a character device";
          case "fifo" -> "found a FIFO";
          case "hardlink" -> "(a hard link)";
          case "jail.conf" -> "files.tar holds jail.conf (a file warder does not know)";
          default -> "files.tar holds evil.sh (a file warder does not know)";
        };
    Path bad =
        forged(
            f -> {
              try {
                f.members.put("files.tar", tarOf(entries));
                f.rehash();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    assertThat(refusedImport(bad))
        .contains("member files.tar is refused: ")
        .contains(expected)
        .contains("nothing was imported");
    assertThat(hostFile).hasContent("host content");
  }

  /**
   * The exporter writes only what the importer takes: not the console log or jail.conf a start
   * left.
   */
  @Test
  void testFilesArchive_exportCarriesOnlyWhatImportTakes() throws Exception {
    Path dir = exporter.root().resolve("jails/web");
    Files.writeString(dir.resolve("console.log"), "booted\n");
    Files.writeString(dir.resolve("jail.conf"), "web {}\n");
    Files.writeString(dir.resolve("plugin.json"), "{\"plugin\":\"acme/web\"}\n");
    Files.createDirectories(dir.resolve("plugin/overlay"));
    Files.writeString(dir.resolve("plugin/overlay/motd"), "hi\n");
    Path again = tmp.resolve("again.tar");
    exporter.ok("export", "web", "-o", again.toString());
    List<String> names = new java.util.ArrayList<>();
    try (var in =
        new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
            new java.io.ByteArrayInputStream(BundleForge.read(again).members.get("files.tar")))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
      }
    }
    assertThat(names)
        .containsExactlyInAnyOrder(
            "config.json", "plugin.json", "plugin/", "plugin/overlay/", "plugin/overlay/motd");
    importer.ok("import", again.toString());
    assertThat(importer.root().resolve("jails/web/plugin/overlay/motd")).hasContent("hi");
    assertThat(importer.root().resolve("jails/web/console.log")).doesNotExist();
  }

  @Test
  void testZfsStream_tamperedAndTruncatedOnZfs() throws Exception {
    try (ZfsPool pool = ZfsPool.create(tmp, 256)) {
      TestHost a = new TestHost(tmp.resolve("za"));
      TestHost b = new TestHost(tmp.resolve("zb"));
      a.ok("activate", pool.name() + "/a");
      b.ok("activate", pool.name() + "/b");
      a.ok("create", "-e", "-n", "web");
      RichTree.write(a.jailRoot("web"), 256);
      Path zfs = tmp.resolve("zfs.tar");
      a.ok("export", "web", "-o", zfs.toString(), "--compress", "none");
      Files.delete(BundleCompanions.sha256File(zfs));
      BundleForge forge = BundleForge.read(zfs);
      byte[] stream = forge.members.get("root.zfs");
      stream[stream.length / 2] ^= 0x55;
      Path bad = tmp.resolve("bad-zfs.tar");
      forge.write(bad);
      assertThat(b.refused("import", bad.toString())).contains("member root.zfs: expected sha256");
      byte[] all = Files.readAllBytes(zfs);
      Path cut = tmp.resolve("cut-zfs.tar");
      Files.write(cut, Arrays.copyOf(all, all.length * 2 / 3));
      assertThat(b.refused("import", cut.toString())).contains("truncated");
      ExportImportTest.assertNothingLeft(b, "web");
      assertThat(pool.datasets().stream().filter(d -> d.startsWith(pool.name() + "/b/")))
          .allMatch(d -> d.equals(pool.name() + "/b/staging"));
      b.ok("import", zfs.toString());
    }
  }

  @Test
  void testZfsStream_propertyAndReplicationStreamsAreRefusedBeforeTheyMount() throws Exception {
    try (ZfsPool pool = ZfsPool.create(tmp, 256)) {
      HostileStreams streams = HostileStreams.make(pool, tmp.resolve("host-dir"));
      TestHost a = new TestHost(tmp.resolve("za"));
      TestHost b = new TestHost(tmp.resolve("zb"));
      a.ok("activate", pool.name() + "/a");
      b.ok("activate", pool.name() + "/b");
      a.ok("create", "-e", "-n", "web");
      Path plain = tmp.resolve("plain.tar");
      Path zstd = tmp.resolve("zstd.tar");
      a.ok("export", "web", "-o", plain.toString(), "--compress", "none");
      a.ok("export", "web", "-o", zstd.toString());
      Files.delete(BundleCompanions.sha256File(plain));
      Files.delete(BundleCompanions.sha256File(zstd));
      for (byte[] stream :
          List.of(streams.properties(), streams.replication(), streams.intermediary())) {
        for (Path bundle : List.of(plain, zstd)) {
          BundleForge forge = BundleForge.read(bundle);
          String member = forge.names().get(2);
          forge.members.put(member, member.endsWith(".zst") ? zstd(stream) : stream);
          Path bad = tmp.resolve("props-" + System.nanoTime() + ".tar");
          forge.rehash().write(bad);
          assertThat(b.refused("import", bad.toString()))
              .contains(
                  "member "
                      + member
                      + " is refused: expected a plain"
                      + " zfs send stream of one snapshot ('zfs send' or 'zfs send -i'), found a replication or property stream")
              .contains("warder takes no property from a stream")
              .contains("nothing was imported");
          streams.assertHostDirUntouched();
          ExportImportTest.assertNothingLeft(b, "web");
          assertThat(pool.datasets().stream().filter(d -> d.startsWith(pool.name() + "/b/")))
              .allMatch(d -> d.equals(pool.name() + "/b/staging"));
          assertThat(pool.mountedOutside(List.of(a.root(), b.root()))).isEmpty();
        }
      }
      b.ok("import", zstd.toString());
      assertThat(pool.mountedOutside(List.of(a.root(), b.root()))).isEmpty();
    }
  }

  private static TarArchiveEntry regular(String name, String content) {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(content.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    e.setMode(0100644);
    return e;
  }

  private static TarArchiveEntry directory(String name) {
    return new TarArchiveEntry(name, true);
  }

  private static TarArchiveEntry link(String name, Path target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
    e.setLinkName(target.toString());
    return e;
  }

  private static TarArchiveEntry hardlink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
    e.setLinkName(target);
    return e;
  }

  private static TarArchiveEntry special(String name, byte type) {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setDevMajor(1);
    e.setDevMinor(3);
    return e;
  }

  /** A tar of {@code entries}; a regular file holds as many zero bytes as its size says. */
  private static byte[] tarOf(TarArchiveEntry... entries) throws java.io.IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(buffer)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (TarArchiveEntry e : entries) {
        out.putArchiveEntry(e);
        if (e.isFile() && e.getSize() > 0) {
          out.write(new byte[(int) e.getSize()]);
        }
        out.closeArchiveEntry();
      }
    }
    return buffer.toByteArray();
  }

  /** A tar whose members escape: a symlink to outside, then the named file. */
  private byte[] tar(String name) throws java.io.IOException {
    Files.createDirectories(tmp.resolve("outside"));
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(buffer)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry link = new TarArchiveEntry("link", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName(tmp.resolve("outside").toString());
      out.putArchiveEntry(link);
      out.closeArchiveEntry();
      TarArchiveEntry file = new TarArchiveEntry(name, true);
      byte[] data = "owned\n".getBytes();
      file.setSize(data.length);
      out.putArchiveEntry(file);
      out.write(data);
      out.closeArchiveEntry();
    }
    return buffer.toByteArray();
  }

  private static byte[] zstd(byte[] data) throws java.io.IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (var z = new com.github.luben.zstd.ZstdOutputStream(buffer)) {
      z.write(data);
    }
    return buffer.toByteArray();
  }

  private static void edit(BundleForge f, Consumer<ObjectNode> change) {
    try {
      ObjectNode m = f.manifest();
      change.accept(m);
      f.manifest(m);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
