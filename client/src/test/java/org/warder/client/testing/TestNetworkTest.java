package org.warder.client.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandResult;
import org.warder.client.exec.ProcessCommandRunner;
import org.warder.client.progress.Reporter;
import org.warder.client.testing.TestNetwork.Lease;
import org.warder.client.testing.TestNetwork.Namespace;

/** The test network fixture for real: veth links, DHCP, HTTP and nftables in its namespaces. */
class TestNetworkTest {
  /** Applies a udhcpc lease with busybox ip: address, then the default route. */
  private static final String UDHCPC_SCRIPT =
      """
      #!/bin/sh
      case "$1" in
        deconfig) busybox ip -4 addr flush dev "$interface" ;;
        bound|renew)
          busybox ip -4 addr flush dev "$interface"
          busybox ip addr add "$ip/$mask" dev "$interface"
          busybox ip route replace default via "${router%% *}" dev "$interface" ;;
      esac
      """;

  private static final ProcessCommandRunner RUNNER =
      new ProcessCommandRunner(Reporter.silent(), false);

  @TempDir Path tmp;
  TestNetwork net;

  @BeforeEach
  void setUp() throws Exception {
    net = TestNetwork.create(tmp);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (net != null) {
      net.close();
    }
  }

  @Test
  void testLink_twoNamespacesReachEachOtherOverAVethPair() throws Exception {
    Namespace lan = net.namespace("lan");
    net.link(net.host(), "vhost0", lan, "vlan0");
    net.address(net.host(), "vhost0", "10.77.1.1/24");
    net.address(lan, "vlan0", "10.77.1.2/24");

    assertOk(net.exec(lan, "busybox", "ping", "-c", "1", "-W", "2", "10.77.1.1"));
    assertOk(net.exec(net.host(), "busybox", "ping", "-c", "1", "-W", "2", "10.77.1.2"));
    assertThat(net.exec(lan, "ip", "-o", "link", "show").stdout())
        .contains("vlan0")
        .doesNotContain("vhost0");
  }

  @Test
  void testDhcpServer_leasesAnAddressToAJailOnTheHostBridge() throws Exception {
    Namespace jail = net.namespace("jail");
    net.link(net.host(), "vjail0", jail, "eth0");
    net.bridge(net.host(), "br0", "vjail0");
    net.address(net.host(), "br0", "10.77.0.1/24");
    TestNetwork.DhcpServer dhcp =
        net.dhcpServer(net.host(), "br0", "10.77.0.100", "10.77.0.150", "10.77.0.1");
    Path script = tmp.resolve("udhcpc.sh");
    Files.writeString(script, UDHCPC_SCRIPT);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));

    CommandResult udhcpc =
        net.exec(
            jail,
            "busybox",
            "udhcpc",
            "-i",
            "eth0",
            "-n",
            "-q",
            "-t",
            "5",
            "-T",
            "1",
            "-s",
            script.toString());

    assertOk(udhcpc);
    List<Lease> leases = dhcp.leases();
    assertThat(leases).as(dhcp.log()).hasSize(1);
    Lease lease = leases.get(0);
    assertThat(lease.address()).startsWith("10.77.0.");
    assertThat(net.exec(jail, "ip", "-o", "link", "show", "eth0").stdout()).contains(lease.mac());
    assertThat(net.exec(jail, "ip", "-o", "-4", "addr", "show", "eth0").stdout())
        .contains("inet " + lease.address() + "/24");
    assertThat(net.exec(jail, "ip", "route", "show", "default").stdout())
        .contains("default via 10.77.0.1 dev eth0");
    assertOk(net.exec(jail, "busybox", "ping", "-c", "1", "-W", "2", "10.77.0.1"));
  }

  @Test
  void testHttpServer_servesAFileThatAnotherNamespaceFetches() throws Exception {
    Namespace remote = net.namespace("remote");
    Namespace client = net.namespace("client");
    net.link(remote, "eth0", client, "eth0");
    net.address(remote, "eth0", "10.77.2.1/24");
    net.address(client, "eth0", "10.77.2.2/24");
    Path docroot = Files.createDirectories(tmp.resolve("www"));
    Files.writeString(docroot.resolve("pkg.txt"), "served from " + remote.name() + "\n");

    String url = net.httpServer(remote, "10.77.2.1", 8080, docroot);
    CommandResult fetched = net.exec(client, "busybox", "wget", "-q", "-O", "-", url + "pkg.txt");

    assertThat(url).isEqualTo("http://10.77.2.1:8080/");
    assertOk(fetched);
    assertThat(fetched.stdout()).isEqualTo("served from " + remote.name() + "\n");
    assertThat(net.exec(client, "busybox", "wget", "-q", "-O", "-", url + "missing").exitCode())
        .isNotZero();
  }

  @Test
  void testNftables_aTableLoadedInOneNamespaceIsListedThereOnly() throws Exception {
    Namespace other = net.namespace("other");
    Path rules = tmp.resolve("wtnat.nft");
    Files.writeString(
        rules,
        """
        table inet wtnat {
          chain postrouting {
            type nat hook postrouting priority srcnat; policy accept;
            ip saddr 10.77.0.0/24 masquerade
          }
        }
        """);

    assertOk(net.exec(net.host(), "nft", "-f", rules.toString()));

    assertThat(net.exec(net.host(), "nft", "list", "table", "inet", "wtnat").stdout())
        .contains("ip saddr 10.77.0.0/24 masquerade");
    assertThat(net.exec(other, "nft", "list", "tables").stdout()).doesNotContain("wtnat");
  }

  @Test
  void testClose_afterAFailedStepKillsEveryProcessAndDeletesEveryNamespace() throws Exception {
    Namespace lan = net.namespace("lan");
    net.link(net.host(), "veth0", lan, "eth0");
    net.address(net.host(), "veth0", "10.77.3.1/24");
    net.dhcpServer(net.host(), "veth0", "10.77.3.100", "10.77.3.110", "10.77.3.1");
    net.httpServer(net.host(), "10.77.3.1", 8080, tmp);
    assertOk(net.exec(lan, "sh", "-c", "busybox sleep 600 </dev/null >/dev/null 2>&1 &"));
    assertThatThrownBy(() -> net.link(net.host(), "veth0", lan, "eth1"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("veth0");
    String pids = ip("netns", "pids", net.host().name()) + ip("netns", "pids", lan.name());
    assertThat(pids.lines().map(Long::parseLong))
        .hasSize(3) // dnsmasq, httpd, sleep
        .allMatch(TestNetwork::running);

    net.close();

    assertThat(ip("netns", "list")).doesNotContain(net.host().name(), lan.name());
    assertThat(pids.lines().map(Long::parseLong)).noneMatch(TestNetwork::running);
  }

  private static String ip(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("ip"));
    argv.addAll(List.of(args));
    return RUNNER.check(Command.of(argv)).stdout();
  }

  private static void assertOk(CommandResult result) {
    assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
  }
}
