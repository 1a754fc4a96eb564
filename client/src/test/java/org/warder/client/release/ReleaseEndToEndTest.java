package org.warder.client.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.testing.TreeSnapshot;
import org.warder.client.testing.ZfsPool;
import org.warder.registry.storage.RegistryLayout;
import org.warder.signing.Digests;
import org.warder.signing.testing.CliRun;
import org.warder.signing.tuf.ChunkHashes;
import org.warder.signing.tuf.TargetFile;

/**
 * The whole release path with real components: a registry in-process over real HTTP, a publisher
 * key, a token and a delegation; {@code warder publish release} of a synthetic FreeBSD-style
 * distribution; {@code warder repo add} with the pinned root; {@code warder fetch -r}; the
 * extracted tree compared with what bsdtar (FreeBSD's tar) makes of the same archives. Then a
 * stored blob loses one byte of integrity and the fetch refuses it, leaving nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleaseEndToEndTest {
  static final String REL = PublishedRelease.REL;
  @TempDir static Path tmp;
  static PublishedRelease published;
  static org.warder.client.cli.RegistryFixtureAccess registry;
  static Path dist;

  static CliRun warder(Path root, String... args) {
    return published.warder(root, args);
  }

  @BeforeAll
  static void publish() throws Exception {
    published = new PublishedRelease(tmp);
    registry = published.registry;
    dist = published.dist;
  }

  @AfterAll
  static void stop() throws Exception {
    published.close();
  }

  @Test
  @Order(1)
  void testPublish_signsTheChunkHashesOfEachSet() throws Exception {
    org.warder.signing.tuf.Updater updater = published.updater();
    updater.refresh();
    Map<String, TargetFile> targets =
        updater.roleMetadata("releases").orElseThrow().signed().targets();
    for (String file : List.of("base.txz", "lib32.txz")) {
      TargetFile target = targets.get("releases/" + REL + "/amd64/" + file);
      ChunkHashes signed = ChunkHashes.of(target).orElseThrow();
      Path local = dist.resolve(file);
      try (InputStream in = Files.newInputStream(local)) {
        assertThat(signed)
            .isEqualTo(ChunkHashes.of(in, Files.size(local), ChunkHashes.DEFAULT_SIZE));
      }
      assertThat(target.custom().orElseThrow().get("kind").asText()).isEqualTo("freebsd-dist");
    }
  }

  @Test
  @Order(1)
  void testFetch_extractsTheSameTreeAsBsdtar() throws Exception {
    Path root = tmp.resolve("host1");
    assertThat(
            warder(
                    root,
                    "repo",
                    "add",
                    "main",
                    registry.url(),
                    "--root-sha256",
                    registry.rootSha256())
                .exitCode())
        .isZero();
    CliRun fetch = warder(root, "fetch", "-r", REL, "--repo", "main", "--arch", "amd64");
    assertThat(fetch.exitCode()).as(fetch.err() + fetch.out()).isZero();
    assertThat(fetch.out())
        .contains("freebsd-update: skipped (not a FreeBSD host)")
        .contains("is ready in");

    Path reference = tmp.resolve("reference");
    Files.createDirectories(reference);
    for (String f : List.of("base.txz", "lib32.txz")) {
      Process p =
          new ProcessBuilder(
                  "bsdtar",
                  "-x",
                  "-p",
                  "--numeric-owner",
                  "--no-fflags",
                  "-f",
                  dist.resolve(f).toString(),
                  "-C",
                  reference.toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor()).as(output).isZero();
    }
    Path extracted = root.resolve("releases/" + REL + "/root");
    // Directory mtimes are left out: bsdtar's second run (lib32.txz) leaves usr/ with the time
    // it added usr/lib32, where warder keeps the time both archives give it.
    assertThat(withoutDirectoryTimes(TreeSnapshot.of(extracted)))
        .isEqualTo(withoutDirectoryTimes(TreeSnapshot.of(reference)));
    assertThat(Files.readSymbolicLink(extracted.resolve("etc/termcap")))
        .hasToString("/usr/share/misc/termcap");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(extracted.resolve("usr/bin/passwd"))))
        .isEqualTo("r-xr-xr-x");
    assertThat((int) Files.getAttribute(extracted.resolve("usr/bin/passwd"), "unix:mode") & 07777)
        .isEqualTo(04555);
    assertThat(Files.getAttribute(extracted.resolve("bin/ls"), "unix:ino"))
        .isEqualTo(Files.getAttribute(extracted.resolve("bin/busybox"), "unix:ino"));

    CliRun list = warder(root, "list", "-r", "-h");
    assertThat(list.out()).startsWith(REL + "\tamd64\trepo main\tbase.txz,lib32.txz\t");
    CliRun again = warder(root, "fetch", "-r", REL, "--repo", "main", "--arch", "amd64");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("already fetched");
    assertThat(warder(root, "destroy", "-f", "-r", REL).exitCode()).isZero();
    assertThat(root.resolve("releases/" + REL)).doesNotExist();
    CliRun cached =
        warder(root, "fetch", "-r", REL, "--repo", "main", "--arch", "amd64", "-F", "base.txz");
    assertThat(cached.exitCode()).as(cached.err()).isZero();
    assertThat(cached.out()).contains("base.txz: cached copy verified");
  }

  @Test
  @Order(2)
  void testFetch_onZfsMakesDatasetsAndLeavesNoneOnFailure() throws Exception {
    Path root = tmp.resolve("zfshost");
    try (ZfsPool pool = ZfsPool.create(tmp, 256)) {
      CliRun activate = warder(root, "activate", pool.name() + "/warder");
      assertThat(activate.exitCode()).as(activate.err()).isZero();
      assertThat(
              warder(
                      root,
                      "repo",
                      "add",
                      "main",
                      registry.url(),
                      "--root-sha256",
                      registry.rootSha256())
                  .exitCode())
          .isZero();
      CliRun fetch = warder(root, "-v", "fetch", "-r", REL, "--repo", "main", "--arch", "amd64");
      assertThat(fetch.exitCode()).as(fetch.err() + fetch.out()).isZero();
      assertThat(fetch.err())
          .contains("+ zfs create -p " + pool.name() + "/warder/releases/staging-" + REL);
      assertThat(pool.datasets())
          .contains(
              pool.name() + "/warder/releases/" + REL,
              pool.name() + "/warder/releases/" + REL + "/root")
          .noneMatch(d -> d.contains("staging"));
      Path extracted = root.resolve("releases/" + REL + "/root");
      assertThat(extracted.resolve("bin/busybox")).exists();
      assertThat(Files.readSymbolicLink(extracted.resolve("etc/termcap")))
          .hasToString("/usr/share/misc/termcap");

      assertThat(warder(root, "destroy", "-f", "-r", REL).exitCode()).isZero();
      assertThat(pool.exists(pool.name() + "/warder/releases/" + REL)).isFalse();

      // a damaged cached download: the fetch re-verifies it, downloads again, and succeeds
      Path cached = root.resolve("download/" + REL + "/base.txz");
      Files.write(cached, new byte[] {1, 2, 3});
      CliRun again =
          warder(root, "fetch", "-r", REL, "--repo", "main", "--arch", "amd64", "-F", "base.txz");
      assertThat(again.exitCode()).as(again.err()).isZero();
      assertThat(Digests.sha256Hex(cached)).isEqualTo(Digests.sha256Hex(dist.resolve("base.txz")));
    }
  }

  private static Map<String, TreeSnapshot.Node> withoutDirectoryTimes(TreeSnapshot tree) {
    Map<String, TreeSnapshot.Node> out = new java.util.TreeMap<>();
    tree.nodes()
        .forEach(
            (path, n) ->
                out.put(
                    path,
                    n.type().equals("directory")
                        ? new TreeSnapshot.Node(
                            n.type(),
                            n.mode(),
                            n.uid(),
                            n.gid(),
                            n.size(),
                            n.sha256(),
                            n.linkTarget(),
                            "-")
                        : n));
    return out;
  }

  @Test
  @Order(4)
  void testFetchDryRun_printsSignedNamesSizesHashesAndWritesNoRelease() throws Exception {
    Path root = tmp.resolve("host3");
    assertThat(
            warder(
                    root,
                    "repo",
                    "add",
                    "main",
                    registry.url(),
                    "--root-sha256",
                    registry.rootSha256())
                .exitCode())
        .isZero();
    CliRun plan =
        warder(root, "fetch", "-r", REL, "--repo", "main", "--arch", "amd64", "--dry-run");
    assertThat(plan.exitCode()).as(plan.err()).isZero();
    for (String file : List.of("base.txz", "lib32.txz")) {
      assertThat(plan.out())
          .contains(
              "download:   "
                  + file
                  + ": "
                  + Files.size(dist.resolve(file))
                  + " bytes, sha256 "
                  + Digests.sha256Hex(dist.resolve(file))
                  + " (signed target releases/"
                  + REL
                  + "/amd64/"
                  + file
                  + ")");
    }
    assertThat(plan.out()).contains("promote: rename releases/staging-" + REL);
    assertThat(root.resolve("download")).doesNotExist();
    assertThat(root.resolve("releases")).doesNotExist();
  }

  @Test
  @Order(3)
  void testFetch_tamperedBlobRefusedAndNothingLeft() throws Exception {
    String sha = Digests.sha256Hex(dist.resolve("base.txz"));
    Path blob = new RegistryLayout(tmp.resolve("registry")).blob(sha).orElseThrow();
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length / 2] ^= 1;
    blob.toFile().setWritable(true);
    Files.write(blob, bytes);
    Path root = tmp.resolve("host2");
    assertThat(
            warder(
                    root,
                    "repo",
                    "add",
                    "main",
                    registry.url(),
                    "--root-sha256",
                    registry.rootSha256())
                .exitCode())
        .isZero();
    CliRun fetch = warder(root, "fetch", "-r", REL, "--repo", "main", "--arch", "amd64");
    assertThat(fetch.exitCode()).isEqualTo(1);
    assertThat(fetch.err())
        .contains("base.txz")
        .contains("expected sha256 " + sha)
        .contains("found " + Digests.sha256Hex(bytes));
    try (Stream<Path> releases = Files.list(root.resolve("releases"))) {
      assertThat(releases).isEmpty();
    } catch (java.nio.file.NoSuchFileException e) {
      // nothing was ever created: just as good
    }
    try (Stream<Path> downloads = Files.walk(root.resolve("download"))) {
      assertThat(downloads.filter(Files::isRegularFile)).isEmpty();
    }
  }
}
