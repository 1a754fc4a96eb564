package org.warder.client.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.signing.AtomicFiles;

class ConfinedDirectoryTest {
  @TempDir Path tmp;

  private Path jailRoot() throws IOException {
    return Files.createDirectories(tmp.resolve("jail/root"));
  }

  private Path host() throws IOException {
    Path host = Files.createDirectories(tmp.resolve("host/etc"));
    Files.writeString(host.resolve("passwd"), "host secret");
    return host;
  }

  @Test
  void write_createsDirectoriesAndFileWithMode() throws IOException {
    Path root = jailRoot();
    try (ConfinedDirectory dir = ConfinedDirectory.open(root)) {
      dir.write(
          "usr/local/etc/pkg/repos/x.conf",
          "x: {}\n".getBytes(StandardCharsets.UTF_8),
          AtomicFiles.OWNER_ONLY);
      dir.write(
          "usr/local/etc/pkg/repos/x.conf",
          "y: {}\n".getBytes(StandardCharsets.UTF_8),
          AtomicFiles.OWNER_ONLY);
    }
    Path file = root.resolve("usr/local/etc/pkg/repos/x.conf");
    assertThat(file).hasContent("y: {}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("usr/local"))))
        .isEqualTo("rwxr-xr-x");
    try (var left = Files.walk(root)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(".warder-"));
    }
  }

  @Test
  void write_throughSymlinkedDirectory_refusedAndHostUntouched() throws IOException {
    Path root = jailRoot();
    Path host = host();
    Files.createDirectories(root.resolve("usr"));
    Files.createSymbolicLink(root.resolve("usr/local"), host);
    try (ConfinedDirectory dir = ConfinedDirectory.open(root)) {
      assertThatThrownBy(
              () -> dir.write("usr/local/passwd", new byte[] {1}, AtomicFiles.WORLD_READABLE))
          .isInstanceOf(ConfinementException.class)
          .hasMessageContaining("usr/local")
          .hasMessageContaining("expected a directory, found a symbolic link");
      assertThatThrownBy(() -> dir.read("usr/local/passwd", 100))
          .isInstanceOf(ConfinementException.class);
      assertThatThrownBy(() -> dir.deleteTree("usr/local/passwd"))
          .isInstanceOf(ConfinementException.class);
    }
    assertThat(host.resolve("passwd")).hasContent("host secret");
  }

  @Test
  void write_overSymlinkedFile_replacesTheLinkNotTheTarget() throws IOException {
    Path root = jailRoot();
    Path host = host();
    Files.createDirectories(root.resolve("etc"));
    Files.createSymbolicLink(root.resolve("etc/resolv.conf"), host.resolve("passwd"));
    try (ConfinedDirectory dir = ConfinedDirectory.open(root)) {
      dir.write(
          "etc/resolv.conf",
          "nameserver 127.0.0.1\n".getBytes(StandardCharsets.UTF_8),
          AtomicFiles.WORLD_READABLE);
    }
    assertThat(host.resolve("passwd")).hasContent("host secret");
    assertThat(Files.isSymbolicLink(root.resolve("etc/resolv.conf"))).isFalse();
    assertThat(root.resolve("etc/resolv.conf")).hasContent("nameserver 127.0.0.1");
  }

  @Test
  void read_refusesLinksAndSpecialFilesAndOversize() throws IOException {
    Path root = jailRoot();
    Path host = host();
    Files.createDirectories(root.resolve("etc"));
    Files.createSymbolicLink(root.resolve("etc/link"), host.resolve("passwd"));
    Files.writeString(root.resolve("etc/big"), "0123456789");
    try (ConfinedDirectory dir = ConfinedDirectory.open(root)) {
      assertThatThrownBy(() -> dir.read("etc/link", 100))
          .isInstanceOf(ConfinementException.class)
          .hasMessageContaining("found a symbolic link");
      assertThatThrownBy(() -> dir.read("etc/big", 5))
          .isInstanceOf(ConfinementException.class)
          .hasMessageContaining("at most 5 bytes");
      assertThat(dir.read("etc/big", 10)).asString(StandardCharsets.UTF_8).isEqualTo("0123456789");
      assertThatThrownBy(() -> dir.read("etc/none", 5)).isInstanceOf(NoSuchFileException.class);
      assertThat(dir.attributes("etc/none")).isEmpty();
      assertThat(dir.attributes("etc/link").orElseThrow().isSymbolicLink()).isTrue();
    }
  }

  @Test
  void symlinkAndDeleteTree_stayInside() throws IOException {
    Path root = jailRoot();
    Path host = host();
    Files.createDirectories(root.resolve("var/db"));
    Files.createSymbolicLink(root.resolve("var/db/hostetc"), host);
    try (ConfinedDirectory dir = ConfinedDirectory.open(root)) {
      dir.symlink("usr/local/bin/tool", "/usr/bin/true");
      dir.deleteTree("var");
      dir.deleteTree("nothing/here");
    }
    assertThat(Files.readSymbolicLink(root.resolve("usr/local/bin/tool")))
        .isEqualTo(Path.of("/usr/bin/true"));
    assertThat(root.resolve("var")).doesNotExist();
    assertThat(host.resolve("passwd")).hasContent("host secret");
  }

  @Test
  void listAndRename_stayInside() throws IOException {
    Path root = jailRoot();
    Path host = host();
    Files.createDirectories(root.resolve("etc/pkg/new/trusted"));
    Files.createDirectories(root.resolve("etc/pkg/keys"));
    Files.createSymbolicLink(root.resolve("etc/pkg/hostlink"), host);
    Files.createSymbolicLink(root.resolve("linked"), host);
    try (ConfinedDirectory dir = ConfinedDirectory.open(root)) {
      assertThat(dir.list("etc/pkg")).containsExactly("hostlink", "keys", "new");
      assertThatThrownBy(() -> dir.list("etc/pkg/hostlink"))
          .isInstanceOf(ConfinementException.class)
          .hasMessageContaining("expected a directory, found a symbolic link");
      dir.rename("etc/pkg/keys", "etc/pkg/old");
      dir.rename("etc/pkg/new", "etc/pkg/keys");
      assertThatThrownBy(() -> dir.rename("etc/pkg/old", "linked/old"))
          .isInstanceOf(ConfinementException.class);
      assertThatThrownBy(() -> dir.rename("linked/passwd", "etc/passwd"))
          .isInstanceOf(ConfinementException.class);
    }
    assertThat(root.resolve("etc/pkg/keys/trusted")).isDirectory();
    assertThat(root.resolve("etc/pkg/old")).isEmptyDirectory();
    try (var hostFiles = Files.list(host)) {
      assertThat(hostFiles.map(p -> p.getFileName().toString())).containsExactly("passwd");
    }
    assertThat(root.resolve("etc/passwd")).doesNotExist();
  }

  @Test
  void open_refusesLinkAsTop() throws IOException {
    Path link = tmp.resolve("rootlink");
    Files.createSymbolicLink(link, host());
    assertThatThrownBy(() -> ConfinedDirectory.open(link))
        .isInstanceOf(ConfinementException.class)
        .hasMessageContaining("expected a real directory, found a symbolic link");
  }

  @Test
  void names_refuseDotDotAndAbsolute() throws IOException {
    try (ConfinedDirectory dir = ConfinedDirectory.open(jailRoot())) {
      for (String bad : new String[] {"../x", "/etc/passwd", "a//b", "a/./b", ""}) {
        assertThatThrownBy(() -> dir.write(bad, new byte[0], AtomicFiles.WORLD_READABLE))
            .as(bad)
            .isInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  /** A process in the jail swapping a directory for a link in a loop never gets a host write. */
  @Test
  void write_whileDirectorySwappedForLink_neverEscapes() throws Exception {
    Path root = jailRoot();
    Path host = host();
    Path etc = root.resolve("etc");
    Path real = root.resolve("etc.real");
    Path link = root.resolve("etc.link");
    Files.createDirectories(real);
    Files.createSymbolicLink(link, host);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger swaps = new AtomicInteger();
    Thread swapper =
        new Thread(
            () -> {
              while (!stop.get()) {
                try {
                  // etc is the real directory, then the link to the host, then nothing
                  Files.move(real, etc, StandardCopyOption.ATOMIC_MOVE);
                  Files.move(etc, real, StandardCopyOption.ATOMIC_MOVE);
                  Files.move(link, etc, StandardCopyOption.ATOMIC_MOVE);
                  Files.move(etc, link, StandardCopyOption.ATOMIC_MOVE);
                  swaps.incrementAndGet();
                } catch (IOException e) {
                  // warder made etc while it was missing: take it away and go on swapping
                  try {
                    if (Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)
                        && Files.isDirectory(etc, LinkOption.NOFOLLOW_LINKS)) {
                      try (var files = Files.list(etc)) {
                        for (Path f : (Iterable<Path>) files::iterator) {
                          Files.deleteIfExists(f);
                        }
                      }
                      Files.deleteIfExists(etc);
                    }
                  } catch (IOException again) {
                    // racing with the writer; the next round retries
                  }
                }
              }
            });
    swapper.start();
    int written = 0;
    try (ConfinedDirectory dir = ConfinedDirectory.open(root)) {
      for (int i = 0; i < 3000; i++) {
        try {
          dir.write(
              "etc/injected", "x".getBytes(StandardCharsets.UTF_8), AtomicFiles.WORLD_READABLE);
          written++;
        } catch (ConfinementException | NoSuchFileException e) {
          // refused while swapped
        } catch (IOException e) {
          // the swapper moved the directory under us (rename races); never a host write
        }
      }
    } finally {
      stop.set(true);
      swapper.join();
    }
    assertThat(swaps.get()).isPositive();
    assertThat(host.resolve("injected")).doesNotExist();
    try (var hostFiles = Files.list(host)) {
      assertThat(hostFiles.map(p -> p.getFileName().toString())).containsExactly("passwd");
    }
    assertThat(written).as("some writes land inside the jail").isPositive();
  }
}
