package org.warder.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrivateFilesTest {
  @TempDir Path tmp;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void testCreate_filesAre0600AndEveryNewDirectory0700() throws Exception {
    Path dir = PrivateFiles.createDirectories(tmp.resolve("a/b/c"));
    assertThat(mode(tmp.resolve("a"))).isEqualTo("rwx------");
    assertThat(mode(tmp.resolve("a/b"))).isEqualTo("rwx------");
    assertThat(mode(dir)).isEqualTo("rwx------");
    assertThat(mode(PrivateFiles.createDirectory(dir.resolve("d")))).isEqualTo("rwx------");
    assertThat(mode(PrivateFiles.createFile(dir.resolve("empty")))).isEqualTo("rw-------");
    try (OutputStream out = PrivateFiles.newOutputStream(dir.resolve("data"))) {
      out.write(1);
    }
    assertThat(mode(dir.resolve("data"))).isEqualTo("rw-------");
    PrivateFiles.writeString(dir.resolve("text"), "x");
    assertThat(mode(dir.resolve("text"))).isEqualTo("rw-------");
    assertThatThrownBy(() -> PrivateFiles.newOutputStream(dir.resolve("data")))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void testCreateDirectories_existingDirectoriesKeepTheirMode() throws Exception {
    Path shared = Files.createDirectory(tmp.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
    PrivateFiles.createDirectories(shared.resolve("mine"));
    assertThat(mode(shared)).isEqualTo("rwxr-xr-x");
    assertThat(mode(shared.resolve("mine"))).isEqualTo("rwx------");
  }

  @Test
  void testCreateFileIfAbsent_newFileIs0600_existingKeepsItsMode() throws Exception {
    Path log = tmp.resolve("access.log");
    PrivateFiles.createFileIfAbsent(log);
    assertThat(mode(log)).isEqualTo("rw-------");
    Files.writeString(log, "kept\n");
    Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-r-----"));
    PrivateFiles.createFileIfAbsent(log);
    assertThat(mode(log)).isEqualTo("rw-r-----");
    assertThat(Files.readString(log)).isEqualTo("kept\n");
  }

  @Test
  void testAtomicWrite_ownerOnlyFileGetsPrivateParents_worldReadableOnesDoNot() throws Exception {
    AtomicFiles.write(
        tmp.resolve("keys/sub/k"), out -> out.write(1), AtomicFiles.OWNER_ONLY, false);
    assertThat(mode(tmp.resolve("keys"))).isEqualTo("rwx------");
    assertThat(mode(tmp.resolve("keys/sub"))).isEqualTo("rwx------");
    assertThat(mode(tmp.resolve("keys/sub/k"))).isEqualTo("rw-------");
    AtomicFiles.write(tmp.resolve("public/p"), new byte[] {1});
    assertThat(mode(tmp.resolve("public/p"))).isEqualTo("rw-r--r--");
    assertThat(mode(tmp.resolve("public"))).isNotEqualTo("rwx------");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "rw-r--r--",
        "rw-r-----",
        "rw----r--",
        "rw--w----",
        "rw-----w-",
        "rw---x---",
        "r--r--r--"
      })
  void testReadFirstLine_refusesAFileOthersCanUse_sayingHowToFixIt(String mode) throws Exception {
    Path file = tmp.resolve("pass");
    Files.writeString(file, "secret\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    assertThatThrownBy(() -> PrivateFiles.readFirstLine(file, "passphrase file"))
        .isInstanceOfSatisfying(
            InsecureFileException.class,
            e -> {
              assertThat(e.file()).isEqualTo(file);
              assertThat(e.mode()).isEqualTo(mode);
            })
        .hasMessageContaining("passphrase file " + file)
        .hasMessageContaining("its mode is " + mode)
        .hasMessageContaining("chmod 600 " + file);
    assertThat(mode(file)).as("reported, not changed").isEqualTo(mode);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw-------", "r--------"})
  void testReadFirstLine_acceptsAPrivateFile(String mode) throws Exception {
    Path file = tmp.resolve("pass");
    Files.writeString(file, "correct horse\nignored\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    assertThat(PrivateFiles.readFirstLine(file, "passphrase file"))
        .isEqualTo("correct horse".toCharArray());
  }

  @Test
  void testReadFirstLine_followsASymlinkToAPrivateFile_andJudgesTheTarget() throws Exception {
    Path target = tmp.resolve("secret");
    PrivateFiles.writeString(target, "s3\n");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
    assertThat(PrivateFiles.readFirstLine(link, "token file")).isEqualTo("s3".toCharArray());
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> PrivateFiles.readFirstLine(link, "token file"))
        .isInstanceOf(InsecureFileException.class);
  }

  @Test
  void testReadFirstLine_refusesAnEmptyFirstLine() throws Exception {
    Path file = tmp.resolve("pass");
    PrivateFiles.writeString(file, "\nsecond\n");
    assertThatThrownBy(() -> PrivateFiles.readFirstLine(file, "passphrase file"))
        .hasMessage("passphrase file " + file + " is empty; put the secret on its first line");
  }
}
