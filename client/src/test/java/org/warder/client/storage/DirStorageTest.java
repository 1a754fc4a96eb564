package org.warder.client.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.testing.RecordingCommandRunner;

/**
 * Directory storage: destroy removes read-only trees; on FreeBSD it clears schg flags first (exact
 * argv).
 */
class DirStorageTest {
  @TempDir Path tmp;

  private Path tree() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("jails/www/root/bin"));
    Files.writeString(bin.resolve("sh"), "#!\n");
    Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("r-xr-xr-x"));
    return tmp.resolve("jails/www");
  }

  @Test
  void testDestroy_onFreeBsdClearsImmutableFlagsFirst() throws Exception {
    Path www = tree();
    RecordingCommandRunner runner = RecordingCommandRunner.succeeding();
    new DirStorage(tmp, runner, true).destroy("jails/www");
    assertThat(runner.commands())
        .containsExactly(List.of("chflags", "-R", "noschg", www.toString()));
    assertThat(www).doesNotExist();
    assertThat(tmp.resolve("jails")).isEmptyDirectory();
  }

  @Test
  void testDestroy_elsewhereRunsNothing() throws Exception {
    Path www = tree();
    RecordingCommandRunner runner = RecordingCommandRunner.succeeding();
    DirStorage storage = new DirStorage(tmp, runner, false);
    storage.destroy("jails/www");
    storage.destroy("jails/never-was");
    storage.clearImmutableFlags(tmp);
    assertThat(runner.commands()).isEmpty();
    assertThat(www).doesNotExist();
  }
}
