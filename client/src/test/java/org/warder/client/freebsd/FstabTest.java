package org.warder.client.freebsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The base-jail fstab and fstab parsing for unmounting. */
class FstabTest {
  private static final Path ORIGIN = Path.of("/usr/local/warder/releases/14.2-RELEASE/root");
  private static final Path JAIL = Path.of("/usr/local/warder/jails/dns3/root");

  @Test
  void testBaseJail_exactLines() {
    assertThat(Fstab.render(Fstab.baseJailEntries(ORIGIN, JAIL)))
        .isEqualTo(
            "/usr/local/warder/releases/14.2-RELEASE/root/bin\t/usr/local/warder/jails/dns3/root/bin\tnullfs\tro\t0\t0\n"
                + "/usr/local/warder/releases/14.2-RELEASE/root/boot\t/usr/local/warder/jails/dns3/root/boot\tnullfs\tro\t0\t0\n"
                + "/usr/local/warder/releases/14.2-RELEASE/root/lib\t/usr/local/warder/jails/dns3/root/lib\tnullfs\tro\t0\t0\n"
                + "/usr/local/warder/releases/14.2-RELEASE/root/libexec\t/usr/local/warder/jails/dns3/root/libexec\tnullfs\tro\t0\t0\n"
                + "/usr/local/warder/releases/14.2-RELEASE/root/rescue\t/usr/local/warder/jails/dns3/root/rescue\tnullfs\tro\t0\t0\n"
                + "/usr/local/warder/releases/14.2-RELEASE/root/sbin\t/usr/local/warder/jails/dns3/root/sbin\tnullfs\tro\t0\t0\n"
                + "/usr/local/warder/releases/14.2-RELEASE/root/usr/bin\t/usr/local/warder/jails/dns3/root/usr/bin\tnullfs\tro\t0\t0\n"
                + "/usr/local/warder/releases/14.2-RELEASE/root/usr/include\t/usr/local/warder/jails/dns3/root/usr/include\tnullfs\tro\t0\t0\n"
                + "/usr/local/warder/releases/14.2-RELEASE/root/usr/lib\t/usr/local/warder/jails/dns3/root/usr/lib\tnullfs\tro\t0\t0\n"
                + "/usr/local/warder/releases/14.2-RELEASE/root/usr/libexec\t/usr/local/warder/jails/dns3/root/usr/libexec\tnullfs\tro\t0\t0\n"
                + "/usr/local/warder/releases/14.2-RELEASE/root/usr/sbin\t/usr/local/warder/jails/dns3/root/usr/sbin\tnullfs\tro\t0\t0\n"
                + "/usr/local/warder/releases/14.2-RELEASE/root/usr/share\t/usr/local/warder/jails/dns3/root/usr/share\tnullfs\tro\t0\t0\n"
                + "/usr/local/warder/releases/14.2-RELEASE/root/usr/libdata\t/usr/local/warder/jails/dns3/root/usr/libdata\tnullfs\tro\t0\t0\n"
                + "/usr/local/warder/releases/14.2-RELEASE/root/usr/lib32\t/usr/local/warder/jails/dns3/root/usr/lib32\tnullfs\tro\t0\t0\n");
  }

  @Test
  void testParse_roundTrips() throws Exception {
    String text =
        "# base jail\n"
            + Fstab.render(Fstab.baseJailEntries(ORIGIN, JAIL))
            + "\n"
            + Fstab.render(List.of(Fstab.linprocfs(JAIL)))
            + "/data   /usr/local/warder/jails/dns3/root/data nullfs rw # data\n";
    List<FstabEntry> entries = Fstab.parse(text);
    assertThat(entries).hasSize(16);
    assertThat(entries.subList(0, 14)).isEqualTo(Fstab.baseJailEntries(ORIGIN, JAIL));
    assertThat(entries.get(14).toLine())
        .isEqualTo(
            "linprocfs\t/usr/local/warder/jails/dns3/root/compat/linux/proc\tlinprocfs\trw\t0\t0");
    assertThat(entries.get(15))
        .isEqualTo(new FstabEntry("/data", JAIL + "/data", "nullfs", "rw", 0, 0));
  }

  @Test
  void testParse_refusesBrokenLines() {
    assertThatThrownBy(() -> Fstab.parse("/a /b nullfs\n"))
        .isInstanceOf(FreeBsdInputException.class)
        .hasMessage(
            "fstab line 1: expected 'source mountpoint type options [dump [pass]]', found '/a /b nullfs'");
    assertThatThrownBy(() -> Fstab.parse("\n/a /b nullfs ro x 0\n"))
        .hasMessageStartingWith("fstab line 2:");
  }

  @Test
  void testBaseJail_refusesPathsFstabCannotHold() {
    assertThatThrownBy(
            () -> Fstab.render(Fstab.baseJailEntries(Path.of("/my releases/14.2"), JAIL)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whitespace");
    assertThatThrownBy(() -> Fstab.render(Fstab.baseJailEntries(Path.of("relative"), JAIL)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
