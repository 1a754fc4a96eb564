package org.warder.client.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandResult;
import org.warder.client.exec.CommandRunner;
import org.warder.client.exec.ProcessCommandRunner;
import org.warder.client.jail.props.JailName;
import org.warder.client.net.JailNetwork;
import org.warder.client.net.Mac;
import org.warder.client.net.Nat;
import org.warder.client.net.PortForward;
import org.warder.client.net.Router;
import org.warder.client.net.VnetInterface;
import org.warder.client.progress.Reporter;
import org.warder.client.testing.BusyboxRoot;
import org.warder.client.testing.TestNetwork;
import org.warder.client.testing.TestNetwork.Namespace;

/**
 * The sandbox's jail networking for real, inside network namespaces the test makes ({@link
 * TestNetwork}): its "host" namespace plays the host for the runtime ({@code WARDER_NETNS}), so
 * bridges, veth pairs, NAT and forwarding never touch the machine's own namespace. Busybox jails
 * serve and fetch HTTP: two vnet jails on one bridge, a DHCP jail leased by dnsmasq on a LAN behind
 * the bridge, and a NAT jail with a port forward talking to a "remote" namespace.
 */
class SandboxNetworkTest {
  @TempDir Path tmp;
  final Transcript runner = new Transcript(new ProcessCommandRunner(Reporter.silent(), false));
  TestNetwork net;
  BubblewrapRuntime runtime;
  final List<RuntimeSpec> started = new ArrayList<>();
  String rootForwarding;

  @BeforeEach
  void setUp() throws Exception {
    BusyboxRoot.requireSandbox();
    net = TestNetwork.create(tmp);
    runtime =
        new BubblewrapRuntime(runner, new ProcessTable(), tmp, HostNetns.named(net.host().name()));
    rootForwarding = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward"));
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      if (runtime != null) {
        for (RuntimeSpec s : started) {
          runtime.stop(s);
        }
        runtime.updateNat(List.of());
      }
    } finally {
      if (net != null) {
        net.close();
      }
    }
    // the machine's own namespace was never touched
    if (rootForwarding != null) {
      assertThat(Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")))
          .isEqualTo(rootForwarding);
    }
    assertThat(host("ip", "-o", "link", "show").stdout()).doesNotContain("vnet0.", "wbr");
  }

  @Test
  void testVnet_twoJailsOnOneBridgeReachEachOtherAndLeaveNoLink() throws Exception {
    RuntimeSpec a = spec("nla", staticNetwork("nla", "wbr0", "10.88.0.11/24"));
    RuntimeSpec b = spec("nlb", staticNetwork("nlb", "wbr0", "10.88.0.12/24"));
    start(a);
    start(b);
    long pidA = runtime.jid(a.name()).getAsLong();

    assertThat(fetch(a, "http://10.88.0.12/")).isEqualTo("jail nlb\n");
    assertThat(fetch(b, "http://10.88.0.11/")).isEqualTo("jail nla\n");
    assertThat(runtime.addresses(a.name())).containsExactly("10.88.0.11");
    String links = net.exec(net.host(), "ip", "-o", "link", "show", "master", "wbr0").stdout();
    assertThat(links).contains("vnet0." + pidA + "@", "link/ether 02:ff:60");
    String jailLink =
        runtime.exec(a.name(), List.of("ip", "-o", "link", "show", "vnet0"), Map.of()).stdout();
    assertThat(jailLink)
        .contains(a.network().interfaces().get(0).macs().jail().colons(), "mtu 1500");
    // the jail's root cannot reconfigure its network: warder does that from outside
    CommandResult change =
        runtime.exec(
            a.name(), List.of("ip", "addr", "add", "10.88.0.99/24", "dev", "vnet0"), Map.of());
    assertThat(change.ok()).isFalse();

    runtime.stop(a);
    runtime.stop(b);
    assertThat(net.exec(net.host(), "ip", "-o", "link", "show", "type", "veth").stdout()).isEmpty();
    // the bridge stays, as iocage leaves it
    assertThat(net.exec(net.host(), "ip", "-o", "link", "show", "wbr0").ok()).isTrue();
  }

  @Test
  void testDhcp_leaseFromTheLanBehindTheBridge() throws Exception {
    Namespace lan = net.namespace("lan");
    net.link(net.host(), "lan1", lan, "eth0");
    net.address(lan, "eth0", "10.66.0.1/24");
    net.bridge(net.host(), "wbr1", "lan1");
    TestNetwork.DhcpServer dhcp =
        net.dhcpServer(lan, "eth0", "10.66.0.100", "10.66.0.150", "10.66.0.1");
    RuntimeSpec jail = spec("nld", dhcpNetwork("nld", "wbr1"));
    start(jail);

    List<String> addresses = runtime.addresses(jail.name());
    assertThat(addresses).singleElement().asString().startsWith("10.66.0.1");
    assertThat(dhcp.leases())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.address()).isEqualTo(addresses.get(0));
              assertThat(l.mac())
                  .isEqualTo(jail.network().interfaces().get(0).macs().jail().colons());
              assertThat(l.hostname()).isEqualTo("nld");
            });
    assertThat(runtime.exec(jail.name(), List.of("ip", "route"), Map.of()).stdout())
        .contains("default via 10.66.0.1 dev vnet0");
    // the jail's rc ran after the lease: it saw its address
    assertThat(runtime.exec(jail.name(), List.of("cat", "/var/log/rc.log"), Map.of()).stdout())
        .contains(addresses.get(0));
    long client = Long.parseLong(Files.readString(tmp.resolve("nld/udhcpc.vnet0.pid")).strip());
    assertThat(ProcessHandle.of(client)).isPresent();

    runtime.stop(jail);
    System.out.println("SandboxNetworkTest DHCP transcript:\n" + String.join("\n", runner.lines()));
    assertThat(ProcessHandle.of(client).map(ProcessHandle::isAlive))
        .isNotEqualTo(Optional.of(true));
    assertThat(net.exec(net.host(), "ip", "-o", "link", "show", "type", "veth").stdout())
        .doesNotContain("vnet0.");
  }

  @Test
  void testDhcp_noServerFailsTheStartAndLeavesNothing() throws Exception {
    RuntimeSpec jail = spec("nln", dhcpNetwork("nln", "wbr2"));
    assertThatThrownBy(() -> runtime.start(jail))
        .hasMessageContaining("expected a DHCP lease for vnet0 of jail nln within 5 s, found none");
    assertThat(runtime.jid(jail.name())).isEmpty();
    assertThat(net.exec(net.host(), "ip", "-o", "link", "show").stdout())
        .doesNotContain("vnet0.", "wbr2");
  }

  @Test
  void testNat_jailReachesTheRemoteAndServesThroughTheForward() throws Exception {
    Namespace remote = net.namespace("remote");
    net.link(net.host(), "wan0", remote, "eth0");
    net.address(net.host(), "wan0", "10.77.0.1/24");
    net.address(remote, "eth0", "10.77.0.2/24");
    net.ip(net.host(), "route", "add", "default", "via", "10.77.0.2");
    Path docroot = Files.createDirectories(tmp.resolve("remote-www"));
    Files.writeString(docroot.resolve("pkg.txt"), "from the package site\n");
    String site = net.httpServer(remote, "10.77.0.2", 8080, docroot);
    assertThat(forwarding()).isEqualTo("0");

    JailName name = JailName.of("nlt");
    Nat nat =
        new Nat(
            Nat.Backend.IPFW,
            Optional.empty(),
            "172.16.0.2",
            "172.16.0.1",
            PortForward.parse("tcp(80:8282)"));
    JailNetwork network =
        new JailNetwork(
            name,
            List.of(vnet("nlt", "bridge0", "172.16.0.2/30")),
            Router.of("172.16.0.1"),
            Router.of("none"),
            false,
            "none",
            1500,
            Optional.of(nat));
    RuntimeSpec jail = spec("nlt", network);
    start(jail);
    runtime.updateNat(List.of(network));

    assertThat(fetch(jail, site + "pkg.txt")).isEqualTo("from the package site\n");
    CommandResult viaForward =
        net.exec(
            remote, "busybox", "timeout", "10", "wget", "-q", "-O", "-", "http://10.77.0.1:8282/");
    assertThat(viaForward.stdout()).as(viaForward.stderr()).isEqualTo("jail nlt\n");
    assertThat(forwarding()).isEqualTo("1");
    String table = net.exec(net.host(), "nft", "list", "table", "ip", "warder").stdout();
    assertThat(table)
        .contains(
            "iifname \"wan0\" tcp dport 8282 dnat to 172.16.0.2:80",
            "ip saddr 172.16.0.0/30 oifname \"wan0\" masquerade");
    assertThat(
            net.exec(
                    net.host(),
                    "ip",
                    "-o",
                    "addr",
                    "show",
                    "dev",
                    "vnet0." + runtime.jid(name).getAsLong())
                .stdout())
        .contains("inet 172.16.0.1/30");

    runtime.stop(jail);
    started.remove(jail);
    runtime.updateNat(List.of());
    assertThat(net.exec(net.host(), "nft", "list", "tables").stdout()).doesNotContain("warder");
    assertThat(forwarding()).isEqualTo("0");
    assertThat(net.exec(net.host(), "ip", "-o", "link", "show", "type", "veth").stdout())
        .doesNotContain("vnet0.");
    System.out.println("SandboxNetworkTest NAT transcript:\n" + String.join("\n", runner.lines()));
  }

  @Test
  void testInherit_sharesTheConfiguredHostNamespace() throws Exception {
    net.ip(net.host(), "link", "add", "only-here0", "type", "bridge");
    JailName name = JailName.of("nli");
    RuntimeSpec inherit = spec("nli", true, Map.of(), JailNetwork.none(name));
    start(inherit);
    assertThat(runtime.exec(name, List.of("ip", "-o", "link"), Map.of()).stdout())
        .contains("only-here0");
    assertThat(runtime.addresses(name)).isEmpty();
  }

  @Test
  void testSharedStackAddresses_refusedWithWhatToDoInstead() throws Exception {
    JailName name = JailName.of("nls");
    RuntimeSpec shared =
        spec(
            "nls",
            false,
            Map.of("ip4", "new", "ip4.addr", "em0|192.0.2.5/24"),
            JailNetwork.none(name));
    assertThatThrownBy(() -> runtime.start(shared))
        .hasMessageContaining("ip4_addr=em0|192.0.2.5/24 without vnet")
        .hasMessageContaining("'warder set vnet=1 nls'")
        .hasMessageContaining("ip4=inherit");
    assertThat(runtime.jid(name)).isEmpty();
  }

  private String forwarding() throws Exception {
    return net.exec(net.host(), "sysctl", "-n", "net.ipv4.ip_forward").stdout().strip();
  }

  private String fetch(RuntimeSpec from, String url) throws Exception {
    CommandResult r =
        runtime.exec(from.name(), List.of("timeout", "10", "wget", "-q", "-O", "-", url), Map.of());
    assertThat(r.ok()).as("wget " + url + ": exit " + r.exitCode() + ", " + r.stderr()).isTrue();
    return r.stdout();
  }

  private void start(RuntimeSpec spec) throws Exception {
    started.add(spec);
    runtime.start(spec);
  }

  private static CommandResult host(String... argv) throws Exception {
    return new ProcessCommandRunner(Reporter.silent(), false).run(Command.of(argv));
  }

  private static VnetInterface vnet(String jail, String bridge, String... ipv4) {
    return new VnetInterface(
        "vnet0",
        bridge,
        Mac.pair(jail, "vnet0", "02ff60"),
        OptionalInt.empty(),
        List.of(ipv4),
        List.of(),
        false);
  }

  private static JailNetwork staticNetwork(String jail, String bridge, String address)
      throws Exception {
    return new JailNetwork(
        JailName.of(jail),
        List.of(vnet(jail, bridge, address)),
        Router.of("none"),
        Router.of("none"),
        false,
        "none",
        1500,
        Optional.empty());
  }

  private static JailNetwork dhcpNetwork(String jail, String bridge) throws Exception {
    return new JailNetwork(
        JailName.of(jail),
        List.of(vnet(jail, bridge)),
        Router.of("none"),
        Router.of("none"),
        true,
        "none",
        1500,
        Optional.empty());
  }

  /** A busybox jail whose rc records its addresses and serves "jail NAME" on port 80. */
  private RuntimeSpec spec(String name, JailNetwork network) throws Exception {
    return spec(name, false, Map.of(), network);
  }

  /** The jail {@code name}, sharing the host namespace with {@code inherit}. */
  private RuntimeSpec spec(
      String name, boolean inherit, Map<String, String> jailParameters, JailNetwork network)
      throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Path root = BusyboxRoot.create(dir.resolve("root"));
    for (String applet : List.of("httpd", "timeout")) {
      Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
    }
    Files.createDirectories(root.resolve("www"));
    Files.writeString(root.resolve("www/index.html"), "jail " + name + "\n");
    Files.writeString(
        root.resolve("etc/rc"), "#!/bin/sh\nip -o addr > /var/log/rc.log\nhttpd -p 80 -h /www\n");
    return new RuntimeSpec(
        JailName.of(name),
        root,
        dir,
        name,
        inherit,
        List.of(),
        "/bin/sh /etc/rc",
        "/bin/sh /etc/rc.shutdown",
        jailParameters,
        List.of(),
        network,
        "off");
  }

  /** The real runner, every command's argv and outcome written down for the report. */
  static final class Transcript implements CommandRunner {
    private final CommandRunner real;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    Transcript(CommandRunner real) {
      this.real = real;
    }

    List<String> lines() {
      return List.copyOf(lines);
    }

    @Override
    public CommandResult run(Command command) throws IOException, InterruptedException {
      CommandResult r = real.run(command);
      String out = r.stdout().strip();
      lines.add(
          "$ "
              + command.display()
              + "  => "
              + r.exitCode()
              + (out.isEmpty() || out.length() > 600
                  ? ""
                  : "\n    " + out.replace("\n", "\n    ")));
      return r;
    }

    @Override
    public <T, E extends Exception> T stream(Command command, OutputReader<T, E> reader)
        throws IOException, InterruptedException, E {
      lines.add("$ " + command.display());
      return real.stream(command, reader);
    }

    @Override
    public <T, E extends Exception> T feed(Command command, InputWriter<T, E> writer)
        throws IOException, InterruptedException, E {
      lines.add("$ " + command.display());
      return real.feed(command, writer);
    }

    @Override
    public <T, E extends Exception> T filter(
        Command command, InputWriter<?, IOException> writer, OutputReader<T, E> reader)
        throws IOException, InterruptedException, E {
      lines.add("$ " + command.display());
      return real.filter(command, writer, reader);
    }

    @Override
    public int attached(Command command) throws IOException, InterruptedException {
      lines.add("$ " + command.display());
      return real.attached(command);
    }

    @Override
    public void pipe(Command producer, Command consumer) throws IOException, InterruptedException {
      lines.add("$ " + producer.display() + " | " + consumer.display());
      real.pipe(producer, consumer);
    }
  }
}
