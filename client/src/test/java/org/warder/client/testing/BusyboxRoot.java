package org.warder.client.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A minimal jail root made of Debian's statically linked busybox, for the Linux sandbox tests; also
 * the check that the sandbox tools are present (fail under CI=true, loud skip elsewhere).
 */
public final class BusyboxRoot {
  private static final List<String> APPLETS =
      List.of(
          "sh",
          "sleep",
          "ps",
          "hostname",
          "cat",
          "ls",
          "echo",
          "id",
          "ip",
          "env",
          "touch",
          "mkdir",
          "rm",
          "cp",
          "sed",
          "grep",
          "wget",
          "tar",
          "sha256sum",
          "chmod",
          "test",
          "true",
          "false",
          "tail",
          "mv");

  private BusyboxRoot() {}

  /**
   * Skips (or under CI fails) unless bwrap, nsenter, setsid and unshare exist and this runs as
   * root.
   */
  public static void requireSandbox() {
    boolean tools =
        List.of("/usr/bin/bwrap", "/usr/bin/nsenter", "/usr/bin/setsid", "/usr/bin/unshare")
            .stream()
            .allMatch(p -> Files.isExecutable(Path.of(p)));
    boolean root = "root".equals(System.getProperty("user.name"));
    if (tools && root && Files.isExecutable(Path.of("/bin/busybox"))) {
      return;
    }
    String reason =
        "the Linux sandbox needs root, bubblewrap (bwrap), util-linux (nsenter, setsid, unshare) and busybox-static";
    Facility.missing("SANDBOX", reason);
  }

  /** Writes a root with bin/busybox and its applets, etc/rc and etc/rc.shutdown. */
  public static Path create(Path dir) throws IOException {
    for (String d : List.of("bin", "etc", "tmp", "root", "proc", "dev", "var/log", "usr/local")) {
      Files.createDirectories(dir.resolve(d));
    }
    Files.copy(Path.of("/bin/busybox"), dir.resolve("bin/busybox"));
    for (String applet : APPLETS) {
      Files.createSymbolicLink(dir.resolve("bin").resolve(applet), Path.of("busybox"));
    }
    Files.createDirectories(dir.resolve("usr/bin"));
    Files.createSymbolicLink(dir.resolve("usr/bin/env"), Path.of("/bin/busybox"));
    Files.writeString(dir.resolve("etc/rc"), "#!/bin/sh\necho up > /var/log/rc.log\n");
    Files.writeString(dir.resolve("etc/rc.shutdown"), "#!/bin/sh\necho down >> /var/log/rc.log\n");
    return dir;
  }
}
