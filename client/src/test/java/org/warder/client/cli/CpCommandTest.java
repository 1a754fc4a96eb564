package org.warder.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.testing.TestHost;

/** {@code warder cp}: host files into a jail's root, never outside it. */
class CpCommandTest {
  @TempDir Path tmp;
  TestHost host;
  Path root;
  Path outside;
  Path file;

  @BeforeEach
  void jail() throws Exception {
    host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "web");
    root = host.jailRoot("web");
    Files.createDirectories(root);
    outside = Files.createDirectories(tmp.resolve("outside"));
    file = tmp.resolve("app.conf");
    Files.writeString(file, "listen 80\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
  }

  @Test
  void cp_file_replacesTheJailsFileAtomicallyKeepingItsMode() throws Exception {
    Files.createDirectories(root.resolve("usr/local/etc"));
    Files.writeString(root.resolve("usr/local/etc/app.conf"), "old\n");
    host.ok("cp", "web", file.toString(), "/usr/local/etc/");
    Path copied = root.resolve("usr/local/etc/app.conf");
    assertThat(copied).hasContent("listen 80");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copied)))
        .isEqualTo("rw-r-----");
    try (Stream<Path> left = Files.list(root.resolve("usr/local/etc"))) {
      assertThat(left).containsExactly(copied); // no temporary file left
    }
  }

  @Test
  void cp_tree_keepsModesAndLinks() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("site/private"));
    Files.writeString(src.resolve("key"), "k");
    Files.setPosixFilePermissions(src.resolve("key"), PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("rwx------"));
    Files.createSymbolicLink(tmp.resolve("site/current"), Path.of("/etc/passwd"));
    host.ok("cp", "web", tmp.resolve("site").toString(), "srv/www");
    Path www = root.resolve("srv/www");
    assertThat(www.resolve("private/key")).hasContent("k");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(www.resolve("private"))))
        .isEqualTo("rwx------");
    assertThat(Files.readSymbolicLink(www.resolve("current"))).isEqualTo(Path.of("/etc/passwd"));
  }

  @Test
  void cp_throughALinkTheJailPlanted_writesNothingOutside() throws Exception {
    Files.createSymbolicLink(root.resolve("etc"), outside); // absolute
    assertThat(host.refused("cp", "web", file.toString(), "/etc/app.conf")).contains("etc");
    Files.createSymbolicLink(root.resolve("usr"), Path.of("../../../outside")); // relative
    assertThat(host.refused("cp", "web", file.toString(), "/usr/app.conf")).contains("usr");
    try (Stream<Path> written = Files.list(outside)) {
      assertThat(written).isEmpty();
    }
  }

  @Test
  void cp_throughEtcLinkedToHostRoot_writesNothingOnTheHost() throws Exception {
    Files.createSymbolicLink(root.resolve("etc"), Path.of("/"));
    String target = "warder-cp-test-" + System.nanoTime();
    assertThat(host.refused("cp", "web", file.toString(), "/etc/" + target)).isNotEmpty();
    assertThat(Path.of("/" + target)).doesNotExist();
  }

  @Test
  void cp_ontoALinkTheJailPlanted_replacesTheLinkNotItsTarget() throws Exception {
    Path victim = Files.writeString(outside.resolve("victim"), "host file\n");
    Files.createSymbolicLink(root.resolve("app.conf"), victim);
    host.ok("cp", "web", file.toString(), "/app.conf");
    assertThat(victim).hasContent("host file");
    assertThat(Files.isSymbolicLink(root.resolve("app.conf"))).isFalse();
    assertThat(root.resolve("app.conf")).hasContent("listen 80");
  }

  @Test
  void cp_withDotDotInTheJailPath_isRefused() throws Exception {
    assertThat(host.refused("cp", "web", file.toString(), "/../../../outside/app.conf"))
        .contains("without '..'");
    assertThat(host.refused("cp", "web", file.toString(), "etc/../../outside/x"))
        .contains("without '..'");
    try (Stream<Path> written = Files.list(outside)) {
      assertThat(written).isEmpty();
    }
  }

  @Test
  void cp_ofAFifo_isRefusedBeforeAnythingIsWritten() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("tree"));
    Files.writeString(src.resolve("a"), "a");
    Process mkfifo = new ProcessBuilder("mkfifo", src.resolve("z-pipe").toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    assertThat(host.refused("cp", "web", src.toString(), "/tree"))
        .contains("device node, fifo or socket");
    assertThat(root.resolve("tree")).doesNotExist();
  }

  @Test
  void cp_dryRun_writesNothing() throws Exception {
    assertThat(host.ok("cp", "--dry-run", "web", file.toString(), "/etc/app.conf").out())
        .contains("copy " + file + " -> web:/etc/app.conf")
        .contains("(--dry-run: nothing was copied)");
    assertThat(Files.exists(root.resolve("etc"), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }
}
