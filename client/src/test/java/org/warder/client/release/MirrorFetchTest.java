package org.warder.client.release;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;
import org.warder.client.cli.WarderMain;
import org.warder.signing.Digests;
import org.warder.signing.testing.CliRun;
import org.warder.signing.testing.StaticHttpServer;

/**
 * {@code warder fetch -r --mirror}: a plain FreeBSD mirror (download.freebsd.org layout) served by
 * a web server; every file checked against MANIFEST, the MANIFEST itself authenticated only when
 * pinned.
 */
class MirrorFetchTest {
  static final String REL = "14.1-RELEASE";
  @TempDir Path tmp;
  Path www;
  Path root;

  @BeforeEach
  void mirror() throws Exception {
    www = tmp.resolve("www");
    SyntheticRelease.write(www.resolve("releases/amd64/" + REL), true, 64);
    root = tmp.resolve("root");
  }

  private CliRun warder(String... args) {
    List<String> all = new ArrayList<>(List.of("--root", root.toString()));
    all.addAll(List.of(args));
    return CliRun.of(
        (out, err, a) -> WarderMain.run(out, err, Map.of("CI", "true"), a),
        all.toArray(String[]::new));
  }

  @Test
  void testFetchMirror_unpinnedManifestWarnsAndVerifiesFiles() throws Exception {
    try (StaticHttpServer server = new StaticHttpServer(www)) {
      CliRun run =
          warder(
              "fetch",
              "-r",
              REL,
              "--arch",
              "amd64",
              "--mirror",
              server.url("releases/").toString());
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out())
          .contains("MANIFEST from")
          .contains("is NOT authenticated")
          .contains("--manifest-sha256");
      assertThat(root.resolve("releases/" + REL + "/root/usr/lib32/libc.so.7"))
          .hasContent("32-bit libc");
      assertThat(warder("list", "-r", "-h").out())
          .startsWith(REL + "\tamd64\tmirror " + server.url("releases/"));
    }
  }

  @Test
  void testFetchMirror_pinnedManifestAccepted() throws Exception {
    String pin = Digests.sha256Hex(www.resolve("releases/amd64/" + REL + "/MANIFEST"));
    try (StaticHttpServer server = new StaticHttpServer(www)) {
      CliRun run =
          warder(
              "fetch",
              "-r",
              REL,
              "--arch",
              "amd64",
              "--mirror",
              server.url("releases/").toString(),
              "--manifest-sha256",
              pin,
              "-F",
              "base.txz");
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out())
          .contains("MANIFEST matches the pinned sha256 " + pin)
          .doesNotContain("NOT authenticated");
      assertThat(root.resolve("releases/" + REL + "/root/usr/lib32")).doesNotExist();
    }
  }

  @Test
  void testFetchMirror_wrongPinRefusedNothingLeft() throws Exception {
    try (StaticHttpServer server = new StaticHttpServer(www)) {
      CliRun run =
          warder(
              "fetch",
              "-r",
              REL,
              "--arch",
              "amd64",
              "--mirror",
              server.url("releases/").toString(),
              "--manifest-sha256",
              "cd".repeat(32));
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).contains("expected the pinned " + "cd".repeat(32)).hasLineCount(1);
      assertThat(root.resolve("releases/" + REL)).doesNotExist();
    }
  }

  @Test
  void testFetchMirror_fileNotMatchingManifestRefusedNothingLeft() throws Exception {
    Path base = www.resolve("releases/amd64/" + REL + "/base.txz");
    byte[] bytes = Files.readAllBytes(base);
    String listed = Digests.sha256Hex(bytes);
    bytes[100] ^= 0x40;
    Files.write(base, bytes);
    try (StaticHttpServer server = new StaticHttpServer(www)) {
      CliRun run =
          warder(
              "fetch",
              "-r",
              REL,
              "--arch",
              "amd64",
              "--mirror",
              server.url("releases/").toString());
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err())
          .contains("base.txz")
          .contains("MANIFEST lists " + listed)
          .contains(Digests.sha256Hex(bytes));
      assertThat(root.resolve("releases/" + REL)).doesNotExist();
      assertThat(root.resolve("download/" + REL + "/base.txz")).doesNotExist();
    }
  }

  @Test
  void testFetch_refusesHostileReleaseAndFileNames() {
    assertThat(warder("fetch", "-r", "../../etc", "--mirror", "http://127.0.0.1:9/").err())
        .contains("expected a FreeBSD release name");
    assertThat(
            warder("fetch", "-r", REL, "--mirror", "http://127.0.0.1:9/", "-F", "../x.txz").err())
        .contains("expected a distribution file name like base.txz, found \"../x.txz\"");
  }

  @Test
  void testFetchMirror_dryRunPrintsThePlanAndWritesNothing() throws Exception {
    Path dist = www.resolve("releases/amd64/" + REL);
    try (StaticHttpServer server = new StaticHttpServer(www)) {
      CliRun run =
          warder(
              "fetch",
              "-r",
              REL,
              "--arch",
              "amd64",
              "--mirror",
              server.url("releases/").toString(),
              "--dry-run");
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out())
          .contains("download: into " + root.resolve("download/" + REL))
          .contains("download:   base.txz: sha256 " + Digests.sha256Hex(dist.resolve("base.txz")))
          .contains("download:   lib32.txz: sha256 " + Digests.sha256Hex(dist.resolve("lib32.txz")))
          .contains("extract: create releases/staging-" + REL)
          .contains("freebsd-update: skipped")
          .contains("promote: rename releases/staging-" + REL + " to releases/" + REL)
          .doesNotContain("is ready in");
      assertThat(server.requests()).containsExactly("/releases/amd64/" + REL + "/MANIFEST");
    }
    assertThat(root).doesNotExist();
  }

  @Test
  void testFetchMirror_archiveRefusedWhileExtractingLeavesNothing() throws Exception {
    Path dist = www.resolve("releases/amd64/" + REL);
    ByteArrayOutputStream txz = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new XZOutputStream(txz, new LZMA2Options()))) {
      byte[] data = "fine".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry file = new TarArchiveEntry("etc/motd");
      file.setSize(data.length);
      tar.putArchiveEntry(file);
      tar.write(data);
      tar.closeArchiveEntry();
      tar.putArchiveEntry(new TarArchiveEntry("dev/pipe", TarConstants.LF_FIFO));
      tar.closeArchiveEntry();
    }
    Files.write(dist.resolve("base.txz"), txz.toByteArray());
    Files.writeString(
        dist.resolve("MANIFEST"),
        "base.txz\t"
            + Digests.sha256Hex(txz.toByteArray())
            + "\t2\tbase\t\"Base system (MANDATORY)\"\ton\n");
    try (StaticHttpServer server = new StaticHttpServer(www)) {
      CliRun run =
          warder(
              "fetch",
              "-r",
              REL,
              "--arch",
              "amd64",
              "--mirror",
              server.url("releases/").toString(),
              "--no-update");
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err().lines().filter(l -> l.startsWith("warder: ")))
          .singleElement(as(InstanceOfAssertFactories.STRING))
          .startsWith("warder: extract failed: refusing the release archive: refusing member")
          .contains("'dev/pipe'");
    }
    assertThat(root.resolve("releases/" + REL)).doesNotExist();
    assertThat(root.resolve("releases/staging-" + REL)).doesNotExist();
    assertThat(root.resolve("download/" + REL)).doesNotExist();
  }
}
