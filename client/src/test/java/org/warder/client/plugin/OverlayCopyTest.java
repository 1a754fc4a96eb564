package org.warder.client.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.host.ConfinedDirectory;
import org.warder.client.testing.RenameSwapper;

/** A plugin's overlay copied onto a jail root that the jail's own processes control. */
class OverlayCopyTest {
  @TempDir Path tmp;

  private Path overlay() throws IOException {
    Path overlay = Files.createDirectories(tmp.resolve("plugin/overlay/usr/local/etc/app"));
    Files.writeString(overlay.resolve("app.conf"), "listen = 8080\n");
    Files.setPosixFilePermissions(
        overlay.resolve("app.conf"), PosixFilePermissions.fromString("rw-r-----"));
    Files.createSymbolicLink(overlay.resolve("app.conf.sample"), Path.of("app.conf"));
    return tmp.resolve("plugin/overlay");
  }

  private Path host() throws IOException {
    Path host = Files.createDirectories(tmp.resolve("host"));
    Files.writeString(host.resolve("keep"), "host file\n");
    return host;
  }

  private static int copy(Path overlay, Path root) throws Exception {
    try (ConfinedDirectory dir = ConfinedDirectory.open(root)) {
      return OverlayCopy.copy(overlay, dir);
    }
  }

  @Test
  void copy_keepsModesAndLinks() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("jail/root"));
    assertThat(copy(overlay(), root)).isEqualTo(2);
    Path conf = root.resolve("usr/local/etc/app/app.conf");
    assertThat(conf).hasContent("listen = 8080");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)))
        .isEqualTo("rw-r-----");
    assertThat(Files.readSymbolicLink(root.resolve("usr/local/etc/app/app.conf.sample")))
        .isEqualTo(Path.of("app.conf"));
  }

  @Test
  void copy_throughALinkOfTheJail_refusedAndHostUntouched() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("jail/root/usr/local/etc"));
    Path host = host();
    Files.createSymbolicLink(root.resolve("app"), host);
    Path jailRoot = tmp.resolve("jail/root");
    assertThatThrownBy(() -> copy(overlay(), jailRoot))
        .isInstanceOf(UnsafeArtifactException.class)
        .hasMessageContaining("usr/local/etc/app: expected a directory, found a symbolic link")
        .hasMessageEndingWith("refusing to copy the overlay");
    try (Stream<Path> s = Files.list(host)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("keep");
    }
  }

  /**
   * Issue 8 item 6: a jail process exchanges the overlay's target directory with a link to a host
   * directory in a loop (renameat2 RENAME_EXCHANGE) while the overlay is copied again and again.
   */
  @Test
  void copy_whileTargetSwappedForHostLink_neverWritesOutside() throws Exception {
    Path swap = RenameSwapper.build(tmp.resolve("build"));
    Path overlay = overlay();
    Path host = host();
    Path root = Files.createDirectories(tmp.resolve("jail/root"));
    Path app = Files.createDirectories(root.resolve("usr/local/etc/app"));
    Path evil = root.resolve("usr/local/etc/app.evil");
    int refused = 0;
    int copied = 0;
    try (RenameSwapper swapper = RenameSwapper.start(swap, app, evil, host)) {
      for (int i = 0; i < 1000; i++) {
        try {
          copy(overlay, root);
          copied++;
        } catch (UnsafeArtifactException | IOException e) {
          refused++;
        }
      }
      assertThat(swapper.alive()).isTrue();
    }
    assertThat(refused).as("some copies met the link").isPositive();
    assertThat(copied).as("some copies went through").isPositive();
    try (Stream<Path> s = Files.list(host)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("keep");
    }
    assertThat(host.resolve("keep")).hasContent("host file");
    Path real = Files.isDirectory(app, LinkOption.NOFOLLOW_LINKS) ? app : evil;
    assertThat(real.resolve("app.conf")).hasContent("listen = 8080");
  }
}
