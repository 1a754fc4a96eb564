package org.warder.client.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.warder.client.cli.WarderMain;
import org.warder.client.testing.TreeSnapshot;
import org.warder.registry.storage.RegistryLayout;
import org.warder.signing.Digests;
import org.warder.signing.testing.CliRun;
import org.warder.signing.tuf.PublicKeyFiles;

/**
 * The whole release path with real components: a registry in-process over real HTTP, a
 * publisher key, a token and a delegation; {@code warder publish release} of a synthetic
 * FreeBSD-style distribution; {@code warder repo add} with the pinned root; {@code warder fetch
 * -r}; the extracted tree compared with what bsdtar (FreeBSD's tar) makes of the same archives.
 * Then a stored blob loses one byte of integrity and the fetch refuses it, leaving nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleaseEndToEndTest {
  static final String REL = "14.2-RELEASE";
  @TempDir static Path tmp;
  static org.warder.client.cli.RegistryFixtureAccess registry;
  static Map<String, String> env = new HashMap<>();
  static Path dist;

  static CliRun warder(Path root, String... args) {
    List<String> all = new ArrayList<>(List.of("--root", root.toString()));
    all.addAll(List.of(args));
    return CliRun.of((out, err, a) -> WarderMain.run(out, err, env, a), all.toArray(String[]::new));
  }

  @BeforeAll
  static void publish() throws Exception {
    registry = new org.warder.client.cli.RegistryFixtureAccess(tmp.resolve("registry"));
    Path pass = tmp.resolve("pass");
    Files.writeString(pass, "publisher passphrase\n");
    env.put("WARDER_KEYS", tmp.resolve("keys").toString());
    env.put("WARDER_PASSPHRASE_FILE", pass.toString());
    env.put("CI", "true");
    Path publisherRoot = tmp.resolve("publisher");
    CliRun key = warder(publisherRoot, "key", "generate", "--name", "rel");
    assertThat(key.exitCode()).as(key.err()).isZero();
    registry.delegate("releases", PublicKeyFiles.read(tmp.resolve("keys/rel.pub.json")), "releases/*/*/*");
    env.put("WARDER_TOKEN", registry.token("release-team", "releases"));
    dist = tmp.resolve("dist");
    SyntheticRelease.write(dist, true, 600);
    CliRun add = warder(publisherRoot, "repo", "add", "main", registry.url(), "--root-sha256", registry.rootSha256());
    assertThat(add.exitCode()).as(add.err()).isZero();
    CliRun published = warder(publisherRoot, "publish", "release", REL, dist.toString(), "--repo", "main", "--key", "rel", "--arch", "amd64");
    assertThat(published.exitCode()).as(published.err()).isZero();
    assertThat(published.out()).contains("published " + REL + "/amd64 as releases version 1");
  }

  @AfterAll
  static void stop() throws Exception {
    registry.close();
  }

  @Test
  @Order(1)
  void testFetch_extractsTheSameTreeAsBsdtar() throws Exception {
    Path root = tmp.resolve("host1");
    assertThat(warder(root, "repo", "add", "main", registry.url(), "--root-sha256", registry.rootSha256()).exitCode()).isZero();
    CliRun fetch = warder(root, "fetch", "-r", REL, "--repo", "main", "--arch", "amd64");
    assertThat(fetch.exitCode()).as(fetch.err() + fetch.out()).isZero();
    assertThat(fetch.out()).contains("freebsd-update: skipped (not a FreeBSD host)").contains("is ready in");

    Path reference = tmp.resolve("reference");
    Files.createDirectories(reference);
    for (String f : List.of("base.txz", "lib32.txz")) {
      Process p = new ProcessBuilder("bsdtar", "-x", "-p", "--numeric-owner", "--no-fflags", "-f", dist.resolve(f).toString(),
          "-C", reference.toString()).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor()).as(output).isZero();
    }
    Path extracted = root.resolve("releases/" + REL + "/root");
    // Directory mtimes are left out: bsdtar's second run (lib32.txz) leaves usr/ with the time
    // it added usr/lib32, where warder keeps the time both archives give it.
    assertThat(withoutDirectoryTimes(TreeSnapshot.of(extracted))).isEqualTo(withoutDirectoryTimes(TreeSnapshot.of(reference)));
    assertThat(Files.readSymbolicLink(extracted.resolve("etc/termcap"))).hasToString("/usr/share/misc/termcap");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(extracted.resolve("usr/bin/passwd")))).isEqualTo("r-xr-xr-x");
    assertThat((int) Files.getAttribute(extracted.resolve("usr/bin/passwd"), "unix:mode") & 07777).isEqualTo(04555);
    assertThat(Files.getAttribute(extracted.resolve("bin/ls"), "unix:ino")).isEqualTo(Files.getAttribute(extracted.resolve("bin/busybox"), "unix:ino"));

    CliRun list = warder(root, "list", "-r", "-h");
    assertThat(list.out()).startsWith(REL + "\tamd64\trepo main\tbase.txz,lib32.txz\t");
    CliRun again = warder(root, "fetch", "-r", REL, "--repo", "main", "--arch", "amd64");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("already fetched");
    assertThat(warder(root, "destroy", "-r", REL).exitCode()).isZero();
    assertThat(root.resolve("releases/" + REL)).doesNotExist();
    CliRun cached = warder(root, "fetch", "-r", REL, "--repo", "main", "--arch", "amd64", "-F", "base.txz");
    assertThat(cached.exitCode()).as(cached.err()).isZero();
    assertThat(cached.out()).contains("base.txz: cached copy verified");
  }

  private static Map<String, TreeSnapshot.Node> withoutDirectoryTimes(TreeSnapshot tree) {
    Map<String, TreeSnapshot.Node> out = new java.util.TreeMap<>();
    tree.nodes().forEach((path, n) -> out.put(path, n.type().equals("directory")
        ? new TreeSnapshot.Node(n.type(), n.mode(), n.uid(), n.gid(), n.size(), n.sha256(), n.linkTarget(), "-") : n));
    return out;
  }

  @Test
  @Order(2)
  void testFetch_tamperedBlobRefusedAndNothingLeft() throws Exception {
    String sha = Digests.sha256Hex(dist.resolve("base.txz"));
    Path blob = new RegistryLayout(tmp.resolve("registry")).blob(sha).orElseThrow();
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length / 2] ^= 1;
    blob.toFile().setWritable(true);
    Files.write(blob, bytes);
    Path root = tmp.resolve("host2");
    assertThat(warder(root, "repo", "add", "main", registry.url(), "--root-sha256", registry.rootSha256()).exitCode()).isZero();
    CliRun fetch = warder(root, "fetch", "-r", REL, "--repo", "main", "--arch", "amd64");
    assertThat(fetch.exitCode()).isEqualTo(1);
    assertThat(fetch.err()).contains("base.txz").contains("expected sha256 " + sha).contains("found " + Digests.sha256Hex(bytes));
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
