package org.warder.client.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one recursive delete: read-only trees go, symlinks are removed and never followed. */
class DirectoryTreesTest {
  @TempDir Path tmp;

  @Test
  void testDelete_removesReadOnlyDirectoriesAndOnlyTheLinksOfSymlinks() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "not the tree's");
    Path tree = Files.createDirectories(tmp.resolve("tree/usr/bin"));
    Files.writeString(tree.resolve("sh"), "#!\n");
    Files.createSymbolicLink(tree.resolve("out-dir"), outside);
    Files.createSymbolicLink(tree.resolve("out-file"), outside.resolve("keep"));
    Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("r-xr-xr-x"));

    DirectoryTrees.delete(tmp.resolve("tree"));

    assertThat(tmp.resolve("tree")).doesNotExist();
    assertThat(outside.resolve("keep")).hasContent("not the tree's");
    DirectoryTrees.delete(tmp.resolve("tree")); // nothing when it does not exist
  }

  @Test
  void testDelete_ofASymlinkRemovesTheLinkOnly() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "kept");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), outside);

    DirectoryTrees.delete(link);

    assertThat(link).doesNotExist();
    assertThat(outside.resolve("keep")).hasContent("kept");
  }
}
