package org.warder.client.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FreeBSD runtime's network by exact argv, against a scripted host. */
class FreeBsdNetworkRuntimeTest {
  @TempDir Path tmp;

  private static final String MACS = "vnet0_mac=02ff60000010 02ff60000011";

  /** The spec of jail {@code name} with {@code props}, its directory under tmp. */
  private RuntimeSpec spec(String name, String... props) throws Exception {
    return FakeFreeBsdHost.spec(tmp, name, List.of(props));
  }

  private static List<List<String>> after(List<List<String>> commands, List<String> first) {
    return commands.subList(commands.indexOf(first), commands.size());
  }

  @Test
  void testStaticVnetStartAndStop_exactArgvAndNothingLeft() throws Exception {
    FakeFreeBsdHost host = new FakeFreeBsdHost();
    host.interfaces.add("bridge0");
    RuntimeSpec spec =
        spec(
            "www1",
            "vnet=1",
            MACS,
            "ip4_addr=vnet0|192.0.2.10/24",
            "ip6_addr=vnet0|2001:db8::10/64",
            "defaultrouter=192.0.2.1",
            "defaultrouter6=auto");
    FreeBsdJailRuntime runtime = new FreeBsdJailRuntime(host.runner, tmp);
    runtime.start(spec);

    String conf = Files.readString(spec.jailConf());
    assertThat(conf).contains("\tvnet = new;\n").contains("\tpersist = true;\n");
    assertThat(conf)
        .doesNotContain("exec.start")
        .contains("exec.stop = '/bin/sh /etc/rc.shutdown'");
    String jailConf = spec.jailConf().toString();
    List<List<String>> commands = host.runner.commands();
    assertThat(after(commands, List.of("jail", "-f", jailConf, "-c", "www1")))
        .containsExactly(
            List.of("jail", "-f", jailConf, "-c", "www1"),
            List.of("jls", "--libxo", "json", "-n"),
            List.of("ifconfig", "bridge0"),
            List.of("ifconfig", "em0"),
            List.of("ifconfig", "epair", "create"),
            List.of("ifconfig", "epair3a", "name", "vnet0.7", "mtu", "9000"),
            List.of("ifconfig", "vnet0.7", "link", "02:ff:60:00:00:10"),
            List.of(
                "ifconfig", "vnet0.7", "description", "associated with jail: www1 as nic: vnet0"),
            List.of("ifconfig", "epair3b", "vnet", "www1"),
            List.of("jexec", "www1", "ifconfig", "epair3b", "name", "vnet0"),
            List.of("jexec", "www1", "ifconfig", "vnet0", "link", "02:ff:60:00:00:11"),
            List.of("jexec", "www1", "ifconfig", "vnet0", "mtu", "9000", "up"),
            List.of("ifconfig", "bridge0", "addm", "vnet0.7", "up"),
            List.of("ifconfig", "vnet0.7", "up"),
            List.of("jexec", "www1", "ifconfig", "vnet0", "inet", "192.0.2.10/24", "alias"),
            List.of("jexec", "www1", "ifconfig", "vnet0", "inet6", "2001:db8::10/64"),
            List.of("jexec", "www1", "route", "add", "default", "192.0.2.1"),
            List.of("route", "-n", "get", "-inet6", "default"),
            List.of("jexec", "www1", "route", "add", "-6", "default", "fe80::1%vnet0"),
            List.of("jexec", "-l", "www1", "/bin/sh", "-c", "/bin/sh /etc/rc"));
    assertThat(host.interfaces).contains("vnet0.7");

    int before = host.runner.commands().size();
    runtime.stop(spec);
    assertThat(host.runner.commands().subList(before, host.runner.commands().size()))
        .containsExactly(
            List.of("jls", "--libxo", "json", "-n"),
            List.of("jail", "-f", jailConf, "-r", "www1"),
            List.of("ifconfig", "-l"),
            List.of("ifconfig", "vnet0.7", "destroy"));
    assertThat(host.interfaces).containsExactlyInAnyOrder("em0", "lo0", "bridge0");
    assertThat(host.running).isEmpty();
  }

  @Test
  void testMissingBridge_createdWithTheDefaultInterfaceAndExecFib() throws Exception {
    FakeFreeBsdHost host = new FakeFreeBsdHost();
    RuntimeSpec spec =
        spec(
            "www1",
            "vnet=1",
            MACS,
            "ip4_addr=vnet0|192.0.2.10/24",
            "defaultrouter=auto",
            "exec_fib=2");
    new FreeBsdJailRuntime(host.runner, tmp).start(spec);
    List<List<String>> commands = host.runner.commands();
    assertThat(after(commands, List.of("ifconfig", "bridge0")).subList(0, 6))
        .containsExactly(
            List.of("ifconfig", "bridge0"),
            List.of("ifconfig", "bridge0", "create"),
            List.of("route", "-n", "get", "default"),
            List.of("ifconfig", "bridge0", "addm", "em0"),
            List.of("ifconfig", "em0"),
            List.of("ifconfig", "epair", "create"));
    assertThat(commands)
        .containsSubsequence(
            List.of("setfib", "2", "jexec", "www1", "ifconfig", "epair3b", "name", "vnet0"),
            List.of(
                "setfib",
                "2",
                "jexec",
                "www1",
                "ifconfig",
                "vnet0",
                "inet",
                "192.0.2.10/24",
                "alias"),
            List.of("route", "-n", "get", "default"),
            List.of("setfib", "2", "jexec", "www1", "route", "add", "default", "192.0.2.1"),
            List.of("setfib", "2", "jexec", "-l", "www1", "/bin/sh", "-c", "/bin/sh /etc/rc"));
  }

  @Test
  void testFailedIfconfigMidway_removesTheJailAndEveryInterfaceMade() throws Exception {
    FakeFreeBsdHost host = new FakeFreeBsdHost();
    host.fail(List.of("jexec", "www1", "ifconfig", "vnet1", "link", "02:ff:60:00:00:21"));
    RuntimeSpec spec =
        spec(
            "www1",
            "vnet=1",
            MACS,
            "vnet1_mac=02ff60000020 02ff60000021",
            "interfaces=vnet0:bridge0,vnet1:bridge1",
            "ip4_addr=vnet0|192.0.2.10/24,vnet1|198.51.100.10/24",
            "defaultrouter=none");
    assertThatThrownBy(() -> new FreeBsdJailRuntime(host.runner, tmp).start(spec))
        .hasMessageContaining("cannot start www1")
        .hasMessageContaining(
            "'jexec www1 ifconfig vnet1 link 02:ff:60:00:00:21' exited with status 1")
        .hasMessageContaining("failed on purpose")
        .hasMessageContaining("the jail and every interface made for it were removed");
    List<List<String>> commands = host.runner.commands();
    assertThat(commands.subList(commands.size() - 5, commands.size()))
        .containsExactly(
            List.of("jail", "-f", spec.jailConf().toString(), "-r", "www1"),
            List.of("ifconfig", "vnet1.7", "destroy"),
            List.of("ifconfig", "bridge1", "destroy"),
            List.of("ifconfig", "vnet0.7", "destroy"),
            List.of("ifconfig", "bridge0", "destroy"));
    assertThat(host.interfaces).containsExactlyInAnyOrder("em0", "lo0");
    assertThat(host.running).isEmpty();
  }

  @Test
  void testFailedJailCreate_runsNoNetworkCommand() throws Exception {
    FakeFreeBsdHost host = new FakeFreeBsdHost();
    RuntimeSpec spec = spec("www1", "vnet=1", MACS, "ip4_addr=vnet0|192.0.2.10/24");
    host.fail(List.of("jail", "-f", spec.jailConf().toString(), "-c", "www1"));
    assertThatThrownBy(() -> new FreeBsdJailRuntime(host.runner, tmp).start(spec))
        .hasMessageContaining("jail -f " + spec.jailConf() + " -c www1' exited with status 1");
    assertThat(host.runner.commands())
        .containsExactly(
            List.of("jls", "--libxo", "json", "-n"),
            List.of("jail", "-f", spec.jailConf().toString(), "-c", "www1"));
    assertThat(host.interfaces).containsExactlyInAnyOrder("em0", "lo0");
  }

  @Test
  void testDhcpStart_leaseFoundOrMissing() throws Exception {
    FakeFreeBsdHost host = new FakeFreeBsdHost();
    host.interfaces.add("bridge0");
    RuntimeSpec spec = spec("plex", "vnet=1", "bpf=1", "dhcp=1", MACS);
    host.answers.put(
        "jexec plex ifconfig vnet0 inet",
        FakeFreeBsdHost.ok(
            "vnet0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500\n"
                + "\toptions=8<VLAN_MTU>\n"
                + "\tinet 192.0.2.77 netmask 0xffffff00 broadcast 192.0.2.255\n"));
    FreeBsdJailRuntime runtime = new FreeBsdJailRuntime(host.runner, tmp);
    runtime.start(spec);
    List<List<String>> commands = host.runner.commands();
    assertThat(commands.subList(commands.size() - 2, commands.size()))
        .containsExactly(
            List.of("jexec", "-l", "plex", "/bin/sh", "-c", "/bin/sh /etc/rc"),
            List.of("jexec", "plex", "ifconfig", "vnet0", "inet"));
    assertThat(commands).noneMatch(argv -> argv.contains("route") || argv.contains("alias"));
    runtime.stop(spec);

    host.answers.put(
        "jexec plex ifconfig vnet0 inet",
        FakeFreeBsdHost.ok(
            "vnet0: flags=8843<UP> metric 0 mtu 1500\n\tinet 0.0.0.0 netmask 0xff000000\n"));
    int before = host.runner.commands().size();
    assertThatThrownBy(() -> runtime.start(spec))
        .hasMessageContaining("expected vnet0 of plex to have a DHCP lease after start")
        .hasMessageContaining("found 0.0.0.0/8")
        .hasMessageContaining("console output is in " + spec.consoleLog());
    commands = host.runner.commands().subList(before, host.runner.commands().size());
    assertThat(commands.subList(commands.size() - 3, commands.size()))
        .containsExactly(
            List.of("jexec", "plex", "ifconfig", "vnet0", "inet"),
            List.of("jail", "-f", spec.jailConf().toString(), "-r", "plex"),
            List.of("ifconfig", "vnet0.8", "destroy"));
    assertThat(host.interfaces).containsExactlyInAnyOrder("em0", "lo0", "bridge0");
  }

  @Test
  void testNonVnetAddressWithoutInterface_getsTheDefaultRoutesInterface() throws Exception {
    FakeFreeBsdHost host = new FakeFreeBsdHost();
    RuntimeSpec spec = spec("www1", "ip4_addr=192.0.2.10/24,192.0.2.5/24,lo1|10.0.0.1");
    FreeBsdJailRuntime runtime = new FreeBsdJailRuntime(host.runner, tmp);
    runtime.start(spec);
    assertThat(Files.readString(spec.jailConf()))
        .contains(
            "\tip4.addr = 'em0|192.0.2.10/24';\n\tip4.addr += '192.0.2.5/24';\n\tip4.addr += 'lo1|10.0.0.1';\n");
    assertThat(host.runner.commands().subList(1, 3))
        .containsExactly(List.of("route", "-n", "get", "default"), List.of("ifconfig"));
    assertThat(runtime.describeStart(spec).get(0))
        .isEqualTo(
            "route -n get default and ifconfig: ip4.addr entries without an interface get the"
                + " default route's interface in front (IFACE|ADDRESS) unless the host has the"
                + " address");
  }

  @Test
  void testDescribeStart_listsTheNetworkCommands() throws Exception {
    RuntimeSpec spec =
        spec("www1", "vnet=1", MACS, "ip4_addr=vnet0|192.0.2.10/24", "defaultrouter=auto");
    FakeFreeBsdHost host = new FakeFreeBsdHost();
    List<String> lines = new FreeBsdJailRuntime(host.runner, tmp).describeStart(spec);
    List<String> network = new ArrayList<>(lines.subList(2, lines.size()));
    assertThat(lines.get(0)).startsWith("write " + spec.jailConf()).doesNotContain("exec.start");
    assertThat(lines.get(1)).isEqualTo("jail -f " + spec.jailConf() + " -c www1");
    assertThat(network)
        .containsExactly(
            "ifconfig bridge0 (when missing: ifconfig bridge0 create, then addm auto unless none;"
                + " MTU is its first member's, or 1500 without members)",
            "ifconfig epair create (prints the new epairNa)",
            "ifconfig epairNa name vnet0.JID mtu MTU",
            "ifconfig vnet0.JID link 02:ff:60:00:00:10",
            "ifconfig vnet0.JID description 'associated with jail: www1 as nic: vnet0'",
            "ifconfig epairNb vnet www1",
            "jexec www1 ifconfig epairNb name vnet0",
            "jexec www1 ifconfig vnet0 link 02:ff:60:00:00:11",
            "jexec www1 ifconfig vnet0 mtu MTU up",
            "ifconfig bridge0 addm vnet0.JID up",
            "ifconfig vnet0.JID up",
            "jexec www1 ifconfig vnet0 inet 192.0.2.10/24 alias",
            "route -n get default (GATEWAY)",
            "jexec www1 route add default GATEWAY",
            "jexec -l www1 /bin/sh -c '/bin/sh /etc/rc' (output appended to "
                + spec.consoleLog()
                + ")");
    assertThat(host.runner.commands()).isEmpty();
  }

  @Test
  void testCpuset_setAfterStart_aFailureRemovesTheJail() throws Exception {
    FakeFreeBsdHost host = new FakeFreeBsdHost();
    RuntimeSpec spec = spec("www1", "cpuset=0-3,6");
    FreeBsdJailRuntime runtime = new FreeBsdJailRuntime(host.runner, tmp);
    runtime.start(spec);
    List<List<String>> commands = host.runner.commands();
    assertThat(commands.subList(commands.size() - 3, commands.size()))
        .containsExactly(
            List.of("jail", "-f", spec.jailConf().toString(), "-c", "www1"),
            List.of("jls", "--libxo", "json", "-n"),
            List.of("cpuset", "-l", "0-3,6", "-j", "7"));
    assertThat(runtime.describeStart(spec)).last().isEqualTo("cpuset -l 0-3,6 -j JID");
    runtime.stop(spec);

    host.fail(List.of("cpuset", "-l", "0-3,6", "-j", "8"));
    assertThatThrownBy(() -> runtime.start(spec))
        .hasMessageContaining("'cpuset -l 0-3,6 -j 8' exited with status 1");
    assertThat(host.runner.commands())
        .last()
        .isEqualTo(List.of("jail", "-f", spec.jailConf().toString(), "-r", "www1"));
    assertThat(host.running).isEmpty();
  }
}
