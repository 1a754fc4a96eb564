package org.warder.client.freebsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a tree's userland version from bin/freebsd-version without running it. */
class FreeBsdVersionTest {
  @TempDir Path root;

  @Test
  void testRead_userlandVersionLine() throws Exception {
    write(
        """
        #!/bin/sh
        set -e
        USERLAND_VERSION="14.2-RELEASE-p1"
        : ${ROOT:=}
        """);
    assertThat(FreeBsdVersion.read(root)).contains("14.2-RELEASE-p1");
    write("USERLAND_VERSION=\"15.0-CURRENT\"\n");
    assertThat(FreeBsdVersion.read(root)).contains("15.0-CURRENT");
  }

  @Test
  void testRead_absentIsEmpty() throws Exception {
    assertThat(FreeBsdVersion.read(root)).isEmpty();
  }

  @Test
  void testRead_refusesLinksAndOtherScripts(@TempDir Path host) throws Exception {
    write("echo hello\n");
    assertThatThrownBy(() -> FreeBsdVersion.read(root))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("has no USERLAND_VERSION=");
    write("USERLAND_VERSION=\"14.2-RELEASE; rm -rf /\"\n");
    assertThatThrownBy(() -> FreeBsdVersion.read(root)).isInstanceOf(IOException.class);
    Files.delete(root.resolve("bin/freebsd-version"));
    Files.writeString(host.resolve("secret"), "USERLAND_VERSION=\"14.2-RELEASE\"\n");
    Files.createSymbolicLink(root.resolve("bin/freebsd-version"), host.resolve("secret"));
    assertThatThrownBy(() -> FreeBsdVersion.read(root))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining("symbolic link");
  }

  private void write(String content) throws IOException {
    Files.createDirectories(root.resolve("bin"));
    Files.writeString(root.resolve("bin/freebsd-version"), content);
  }
}
