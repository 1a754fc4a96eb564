package org.warder.client.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes what a jail root holds that an archive can get wrong: setuid and sticky modes, numeric
 * owners (as root), an absolute and a relative symlink, a hardlink pair, an empty directory, a
 * read-only directory, a name with spaces and UTF-8, and some incompressible bytes.
 */
public final class RichTree {
  private RichTree() {}

  public static void write(Path root, int randomKiB) throws IOException {
    Files.createDirectories(root.resolve("bin"));
    Files.createDirectories(root.resolve("etc/ssh"));
    Files.createDirectories(root.resolve("var/empty"));
    Files.createDirectories(root.resolve("tmp"));
    Path su = root.resolve("bin/su");
    Files.writeString(su, "#!/bin/sh\necho su\n");
    Files.writeString(root.resolve("etc/motd"), "welcome\n");
    Files.writeString(root.resolve("etc/ssh/ssh_host_ed25519_key"), "PRIVATE\n");
    Files.writeString(
        root.resolve("etc/caf\u00e9 menu.txt"), "cr\u00eape\n", StandardCharsets.UTF_8);
    Files.createSymbolicLink(root.resolve("etc/termcap"), Path.of("/usr/share/misc/termcap"));
    Files.createSymbolicLink(root.resolve("etc/motd.link"), Path.of("motd"));
    Files.writeString(root.resolve("bin/sh.real"), "#!/bin/sh\n");
    Files.createLink(root.resolve("bin/login"), root.resolve("bin/sh.real"));
    byte[] random = new byte[randomKiB * 1024];
    new java.util.Random(42).nextBytes(random);
    Files.write(root.resolve("var/blob.bin"), random);
    if ("root".equals(System.getProperty("user.name"))) {
      Files.setAttribute(root.resolve("etc/motd"), "unix:uid", 1234);
      Files.setAttribute(root.resolve("etc/motd"), "unix:gid", 4321);
    }
    Files.setPosixFilePermissions(su, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setAttribute(su, "unix:mode", 04755);
    Files.setAttribute(root.resolve("tmp"), "unix:mode", 01777);
    Files.setPosixFilePermissions(
        root.resolve("var/empty"), PosixFilePermissions.fromString("r-xr-xr-x"));
  }
}
