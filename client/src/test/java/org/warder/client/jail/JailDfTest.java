package org.warder.client.jail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.exec.CommandResult;
import org.warder.client.storage.DiskUsage;
import org.warder.client.storage.ZfsStorage;
import org.warder.client.testing.RecordingCommandRunner;
import org.warder.client.testing.TestHost;

/** {@code warder df}: per-jail usage on directory storage and from {@code zfs get}. */
class JailDfTest {
  @TempDir Path tmp;

  @Test
  void df_onDirectories_addsUpTheJailsFilesAndSaysWhatIsUnknown() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "big");
    host.ok("create", "-e", "-n", "small");
    Files.write(host.jailRoot("big").resolve("blob"), new byte[300_000]);
    Files.createLink(
        host.jailRoot("big").resolve("same-blob"), host.jailRoot("big").resolve("blob"));

    List<String> rows = host.ok("df", "-h").out().lines().toList();
    assertThat(rows).hasSize(2);
    String[] big = rows.get(0).split("\t");
    String[] small = rows.get(1).split("\t");
    assertThat(big[0]).isEqualTo("big");
    assertThat(List.of(big).subList(1, 4)).containsExactly("-", "-", "-");
    long used = Long.parseLong(big[4]);
    assertThat(used).isBetween(300_000L, 310_000L); // the hard link counted once
    assertThat(Long.parseLong(small[4])).isLessThan(10_000L);
    assertThat(Long.parseLong(big[5])).isPositive();

    var table = host.ok("df");
    assertThat(table.out()).startsWith("NAME").contains("CRT").contains("K ");
    assertThat(table.err()).contains("directory storage: no compression, reservation or quota");
  }

  @Test
  void zfsUsage_readsZfsGet() throws Exception {
    RecordingCommandRunner runner =
        new RecordingCommandRunner(
            argv -> new CommandResult(0, "1.45x\n0\n1073741824\n52428800\n9663676416\n", ""));
    DiskUsage u = new ZfsStorage(runner, "zroot/warder", tmp, false).usage("jails/web");
    assertThat(runner.commands())
        .containsExactly(
            List.of(
                "zfs",
                "get",
                "-Hp",
                "-o",
                "value",
                "compressratio,reservation,quota,used,available",
                "zroot/warder/jails/web"));
    assertThat(u.compressRatio()).contains("1.45x");
    assertThat(u.reservation()).hasValue(0);
    assertThat(u.quota()).hasValue(1073741824L);
    assertThat(u.used()).hasValue(52428800L);
    assertThat(u.available()).hasValue(9663676416L);
  }
}
