package org.warder.client.jail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.net.JailNetwork;
import org.warder.client.testing.RecordingReporter;

/**
 * The files written into a jail root at every start, on real files: resolver and host_time as
 * iocage, rc.conf entries for dhcp and rtsold added and removed, and a jail root whose files or
 * etc/ are links to host files, which are never written through.
 */
class StartFilesTest {
  @TempDir Path tmp;
  JailName name;
  Path root;
  Path host;
  Path localtime;
  final RecordingReporter reporter = new RecordingReporter();
  StartFiles files;

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createDirectories(tmp.resolve("root"));
    Files.createDirectories(root.resolve("etc"));
    host = Files.createDirectories(tmp.resolve("host"));
    localtime = Files.writeString(host.resolve("localtime"), "TZif-host");
    files = new StartFiles(localtime);
    name = JailName.of("www");
  }

  private static JailProperties props(String... props) throws Exception {
    return JailProperties.parse(List.of(props));
  }

  private void write(String... props) throws Exception {
    JailProperties p = props(props);
    files.write(name, root, p, JailNetwork.of(name, p), reporter);
  }

  private Path etc(String file) {
    return root.resolve("etc").resolve(file);
  }

  @Test
  void testResolver_linesPathNoneAndDevNull() throws Exception {
    write("resolver=nameserver 192.0.2.53; search example.org", "host_time=0");
    assertThat(etc("resolv.conf")).hasContent("nameserver 192.0.2.53\nsearch example.org\n");
    assertThat(etc("localtime")).doesNotExist();

    Path mine = Files.writeString(host.resolve("resolv.mine"), "nameserver 198.51.100.1\n");
    write("resolver=" + mine, "host_time=1");
    assertThat(etc("resolv.conf")).hasContent("nameserver 198.51.100.1");
    assertThat(etc("localtime")).hasContent("TZif-host");

    Files.writeString(etc("resolv.conf"), "the jail's own\n");
    write("resolver=none");
    write("resolver=/dev/null");
    assertThat(etc("resolv.conf")).hasContent("the jail's own");
  }

  @Test
  void testResolver_aMissingHostFileRefusesTheStart() {
    assertThatThrownBy(() -> write("resolver=" + host.resolve("absent")))
        .isInstanceOf(JailException.class)
        .hasMessageContaining("cannot start www")
        .hasMessageContaining(host.resolve("absent") + ", which is not a regular file on the host")
        .hasMessageContaining("resolver=none");
  }

  @Test
  void testHostileLinks_theLinkIsReplacedAndTheHostFileUntouched() throws Exception {
    Path hostResolv = Files.writeString(host.resolve("resolv.conf"), "host resolver\n");
    Path hostZone = Files.writeString(host.resolve("zone"), "host zone\n");
    Files.createSymbolicLink(etc("resolv.conf"), hostResolv);
    Files.createSymbolicLink(etc("localtime"), hostZone);

    write("resolver=nameserver 192.0.2.1");

    assertThat(hostResolv).hasContent("host resolver");
    assertThat(hostZone).hasContent("host zone");
    assertThat(Files.isSymbolicLink(etc("resolv.conf"))).isFalse();
    assertThat(etc("resolv.conf")).hasContent("nameserver 192.0.2.1");
    assertThat(Files.isSymbolicLink(etc("localtime"))).isFalse();
    assertThat(etc("localtime")).hasContent("TZif-host");
  }

  @Test
  void testHostileEtcLink_refusesTheStartAndWritesNothingOutside() throws Exception {
    Path hostEtc = Files.createDirectories(host.resolve("etc"));
    Files.delete(root.resolve("etc"));
    Files.createSymbolicLink(root.resolve("etc"), hostEtc);

    assertThatThrownBy(() -> write("vnet=1", "dhcp=1", "bpf=1"))
        .isInstanceOf(JailException.class)
        .hasMessageContaining("cannot start www")
        .hasMessageContaining("found a symbolic link");
    try (var list = Files.list(hostEtc)) {
      assertThat(list).isEmpty();
    }
  }

  @Test
  void testNoEtc_writesNothingAndSaysSo() throws Exception {
    Files.delete(root.resolve("etc"));
    write("vnet=1", "dhcp=1", "bpf=1");
    assertThat(root.resolve("etc")).doesNotExist();
    assertThat(reporter.lines())
        .containsExactly(
            "warning: www: "
                + root.resolve("etc")
                + " does not exist; resolv.conf, localtime and rc.conf entries were not written");
  }

  @Test
  void testRcConf_dhcpAndRtsoldEntriesComeAndGo() throws Exception {
    Files.writeString(etc("rc.conf"), "sshd_enable=\"YES\"\nifconfig_vnet1=\"DHCP\"\n");
    write("vnet=1", "dhcp=1", "bpf=1", "interfaces=vnet0:bridge0,vnet1:bridge1");
    assertThat(etc("rc.conf"))
        .hasContent(
            "sshd_enable=\"YES\"\nifconfig_vnet1=\"SYNCDHCP\"\nifconfig_vnet0=\"SYNCDHCP\"\n");

    write("vnet=1", "rtsold=1", "ip6_addr=vnet0|2001:db8::2/64");
    assertThat(etc("rc.conf"))
        .hasContent(
            "sshd_enable=\"YES\"\n"
                + "ifconfig_vnet0_ipv6=\"inet6 auto_linklocal accept_rtadv autoconf\"\n"
                + "rtsold_enable=\"YES\"\n");

    write("vnet=0");
    assertThat(etc("rc.conf")).hasContent("sshd_enable=\"YES\"\n");
  }

  @Test
  void testRcConf_missingIsCreatedOnlyWhenSomethingIsWanted() throws Exception {
    write("vnet=1");
    assertThat(etc("rc.conf")).doesNotExist();
    write("vnet=1", "dhcp=1", "bpf=1");
    assertThat(etc("rc.conf")).hasContent("ifconfig_vnet0=\"SYNCDHCP\"\n");
  }

  @Test
  void testRcConf_aLinkIsLeftWithNothingToAddAndRefusedOtherwise() throws Exception {
    Path hostRc = Files.writeString(host.resolve("rc.conf"), "ifconfig_vnet0=\"SYNCDHCP\"\n");
    Files.createSymbolicLink(etc("rc.conf"), hostRc);

    write("vnet=0");
    assertThat(Files.isSymbolicLink(etc("rc.conf"))).isTrue();

    assertThatThrownBy(() -> write("vnet=1", "dhcp=1", "bpf=1"))
        .isInstanceOf(JailException.class)
        .hasMessageContaining("cannot start www")
        .hasMessageContaining("expected a regular file, found a symbolic link");
    assertThat(hostRc).hasContent("ifconfig_vnet0=\"SYNCDHCP\"");
    assertThat(Files.isSymbolicLink(etc("rc.conf"))).isTrue();
  }

  @Test
  void testRcConf_aHugeFileIsRefusedWhenItMustBeEdited() throws Exception {
    byte[] huge = new byte[(1 << 20) + 1];
    java.util.Arrays.fill(huge, (byte) '#');
    Files.write(etc("rc.conf"), huge);
    write("vnet=0");
    assertThatThrownBy(() -> write("vnet=1", "dhcp=1", "bpf=1"))
        .isInstanceOf(JailException.class)
        .hasMessageContaining("expected at most 1048576 bytes");
    assertThat(Files.size(etc("rc.conf"))).isEqualTo(huge.length);
    assertThat(Files.isRegularFile(etc("rc.conf"), LinkOption.NOFOLLOW_LINKS)).isTrue();
  }

  @Test
  void testDescribe_listsEveryWrite() throws Exception {
    JailProperties p = props("vnet=1", "dhcp=1", "bpf=1", "resolver=nameserver 192.0.2.53");
    assertThat(files.describe(root, p, JailNetwork.of(name, p)))
        .containsExactly(
            "write " + etc("resolv.conf") + ": nameserver 192.0.2.53",
            "copy " + localtime + " to " + etc("localtime"),
            "set ifconfig_vnet0=\"SYNCDHCP\" in " + etc("rc.conf"),
            "remove from "
                + etc("rc.conf")
                + " the entries warder sets there that the properties no longer ask for"
                + " (ifconfig_vnetN=\"SYNCDHCP\", ifconfig_vnetN_ipv6=\"inet6 auto_linklocal"
                + " accept_rtadv autoconf\", rtsold_enable=\"YES\"; exact values only)");
  }
}
