package org.warder.client.jail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.testing.TestHost;

/**
 * Issue 8 item 2: what warder writes into a jail root from the host (the host's resolv.conf and
 * localtime, a base jail's emptied system directories) goes through descriptors of the root and
 * never through a link the root's content holds, here a template's (as a pulled one may be); and
 * the jail directory's own files (config.json, fstab) are never read through a link.
 */
class HostSideJailFilesTest {
  @TempDir Path tmp;

  private static TestHost templateWith(TestHost host, String name, Path hostDir, String linkName)
      throws Exception {
    host.ok("create", "-e", "-n", name);
    Path root = host.jailRoot(name);
    Files.createDirectories(root.resolve(linkName).getParent());
    Files.createSymbolicLink(root.resolve(linkName), hostDir);
    host.ok("set", "template=yes", name);
    return host;
  }

  private static long entries(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void testCreate_etcLinkedToAHostDirectory_hostFilesNotWrittenThere() throws Exception {
    Path hostEtc = Files.createDirectories(tmp.resolve("host-etc"));
    TestHost host = templateWith(new TestHost(tmp.resolve("w")), "tmpl", hostEtc, "etc");
    host.ok("create", "-t", "tmpl", "-n", "web");
    assertThat(entries(hostEtc)).isZero();
    assertThat(Files.isSymbolicLink(host.jailRoot("web").resolve("etc"))).isTrue();
  }

  @Test
  void testCreate_resolvConfLinkedToAHostFile_staysTheJailsLinkAndTheHostFileIsUntouched()
      throws Exception {
    Path hostFile = Files.writeString(tmp.resolve("host-resolv"), "nameserver 192.0.2.53\n");
    TestHost host =
        templateWith(new TestHost(tmp.resolve("w")), "tmpl", hostFile, "etc/resolv.conf");
    host.ok("create", "-t", "tmpl", "-n", "web");
    assertThat(hostFile).hasContent("nameserver 192.0.2.53");
    assertThat(Files.readSymbolicLink(host.jailRoot("web").resolve("etc/resolv.conf")))
        .isEqualTo(hostFile);
  }

  @Test
  void testCreateBaseJail_systemDirectoryLinkedToTheHost_refusedAndHostKept() throws Exception {
    Path hostUsr = Files.createDirectories(tmp.resolve("host-usr"));
    Files.createDirectories(hostUsr.resolve("bin"));
    Files.writeString(hostUsr.resolve("bin/keep"), "host binary\n");
    TestHost host = templateWith(new TestHost(tmp.resolve("w")), "tmpl", hostUsr, "usr");
    String err = host.refused("create", "-b", "-t", "tmpl", "-n", "web");
    assertThat(err)
        .contains(
            host.jailRoot("web").resolve("usr") + ": expected a directory, found a symbolic link")
        .contains("warder never follows links");
    assertThat(hostUsr.resolve("bin/keep")).hasContent("host binary");
    assertThat(Files.exists(host.root().resolve("jails/web"), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void testJailDirectoryFiles_linksAreRefusedNotFollowed() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "web");
    Path hostDir = Files.createDirectories(tmp.resolve("host-secrets"));
    Path hostFstab =
        Files.writeString(
            tmp.resolve("host-fstab"),
            hostDir + "\t" + host.jailRoot("web").resolve("mnt") + "\tnullfs\trw\t0\t0\n");
    Path fstab = host.root().resolve("jails/web/fstab");
    Files.deleteIfExists(fstab);
    Files.createSymbolicLink(fstab, hostFstab);
    assertThat(host.refused("start", "web"))
        .contains(fstab + ": expected a regular file, found a symbolic link to " + hostFstab)
        .contains("warder does not follow");

    Path config = host.root().resolve("jails/web/config.json");
    Path hostConfig = Files.move(config, tmp.resolve("host-config.json"));
    Files.createSymbolicLink(config, hostConfig);
    assertThat(host.refused("get", "all", "web"))
        .contains(config + ": expected a regular file, found a symbolic link");
  }

  @Test
  void testStart_consoleLogLinkedToAHostFileAfterImport_refusedAndHostFileUntouched()
      throws Exception {
    org.warder.client.testing.BusyboxRoot.requireSandbox();
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "web");
    org.warder.client.testing.BusyboxRoot.create(host.jailRoot("web"));
    Path hostFile = Files.writeString(tmp.resolve("host-shadow"), "root:*:0:0\n");
    Path log = host.root().resolve("jails/web/console.log");
    Files.createSymbolicLink(log, hostFile);
    assertThat(host.refused("start", "web"))
        .contains(
            "expected the jail's console log to be a regular file or absent,"
                + " found a symbolic link to "
                + hostFile);
    assertThat(hostFile).hasContent("root:*:0:0");
    assertThat(host.ok("list", "-h").out()).contains("\tweb\tdown\t");
  }
}
