package org.warder.client.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.exec.CommandResult;

/** The FreeBSD runtime's NAT (ipfw and pf) by exact argv, against a scripted host. */
class FreeBsdNatRuntimeTest {
  @TempDir Path tmp;

  private static final String BOOT = "{ sec = 1764700000, usec = 5 } Wed Dec  2 18:26:40 2026";

  private FakeFreeBsdHost host() {
    FakeFreeBsdHost host = new FakeFreeBsdHost();
    host.answers.put("sysctl -n kern.boottime", FakeFreeBsdHost.ok(BOOT + "\n"));
    host.answers.put("sysctl -n net.inet.ip.forwarding", FakeFreeBsdHost.ok("0\n"));
    return host;
  }

  /** A NAT jail's spec: its /30 is 172.16.0.{4n+1, 4n+2}. */
  private RuntimeSpec natJail(String name, int n, String... more) throws Exception {
    List<String> props =
        new java.util.ArrayList<>(
            List.of(
                "vnet=1",
                "nat=1",
                "vnet0_mac=02ff6000001" + n + " 02ff6000002" + n,
                "ip4_addr=vnet0|172.16.0." + (4 * n + 2) + "/30",
                "defaultrouter=172.16.0." + (4 * n + 1)));
    props.addAll(List.of(more));
    return FakeFreeBsdHost.spec(tmp.resolve("jails"), name, props);
  }

  /** ipfw's rule sending a jail network's traffic out of em0 through warder's NAT. */
  private static List<String> ipfwOut(String network) {
    return List.of(
        "ipfw", "-q", "add", "100", "set", "27", "nat", "462", "ip4", "from", network, "to", "any",
        "out", "via", "em0");
  }

  /** ipfw's rule sending em0's incoming traffic through warder's NAT. */
  private static List<String> ipfwIn() {
    return List.of(
        "ipfw", "-q", "add", "101", "set", "27", "nat", "462", "ip4", "from", "any", "to", "any",
        "in", "via", "em0");
  }

  /** ipfw's NAT instance on em0 with {@code redirects}. */
  private static List<String> ipfwConfig(String... redirects) {
    List<String> argv =
        new java.util.ArrayList<>(
            List.of("ipfw", "-q", "nat", "462", "config", "if", "em0", "same_ports"));
    for (String r : redirects) {
      argv.add("redirect_port");
      argv.addAll(List.of(r.split(" ")));
    }
    return argv;
  }

  private static List<List<String>> since(FakeFreeBsdHost host, int from) {
    List<List<String>> all = host.runner.commands();
    return all.subList(from, all.size());
  }

  @Test
  void testIpfw_startWithForwards_secondJail_lastStops() throws Exception {
    FakeFreeBsdHost host = host();
    host.answers.put("sysctl net.inet.ip.fw.enable=1", new CommandResult(1, "", "unknown oid"));
    FreeBsdJailRuntime runtime = new FreeBsdJailRuntime(host.runner, tmp);
    RuntimeSpec web = natJail("web", 0, "nat_forwards=tcp(80:8080),udp(53)");
    runtime.start(web);
    String conf = web.jailConf().toString();
    assertThat(
            since(host, host.runner.commands().indexOf(List.of("jail", "-f", conf, "-c", "web"))))
        .containsExactly(
            List.of("jail", "-f", conf, "-c", "web"),
            List.of("jls", "--libxo", "json", "-n"),
            List.of("ifconfig", "epair", "create"),
            List.of("ifconfig", "epair3a", "name", "vnet0.7", "mtu", "1500"),
            List.of("ifconfig", "vnet0.7", "link", "02:ff:60:00:00:10"),
            List.of(
                "ifconfig", "vnet0.7", "description", "associated with jail: web as nic: vnet0"),
            List.of("ifconfig", "epair3b", "vnet", "web"),
            List.of("jexec", "web", "ifconfig", "epair3b", "name", "vnet0"),
            List.of("jexec", "web", "ifconfig", "vnet0", "link", "02:ff:60:00:00:20"),
            List.of("jexec", "web", "ifconfig", "vnet0", "mtu", "1500", "up"),
            List.of("ifconfig", "vnet0.7", "inet", "172.16.0.1/30"),
            List.of("ifconfig", "vnet0.7", "up"),
            List.of("jexec", "web", "ifconfig", "vnet0", "inet", "172.16.0.2/30", "alias"),
            List.of("jexec", "web", "route", "add", "default", "172.16.0.1"),
            List.of("jexec", "-l", "web", "/bin/sh", "-c", "/bin/sh /etc/rc"));

    int mark = host.runner.commands().size();
    runtime.updateNat(List.of(web.network()));
    assertThat(since(host, mark))
        .containsExactly(
            List.of("sysctl", "-n", "kern.boottime"),
            List.of("route", "-n", "get", "default"),
            List.of("sysctl", "-n", "net.inet.ip.forwarding"),
            List.of("sysctl", "-q", "net.inet.ip.forwarding=1"),
            List.of("sysctl", "net.inet.ip.fw.enable=1"),
            List.of("kenv", "net.inet.ip.fw.default_to_accept=1"),
            List.of("kldload", "-n", "ipfw"),
            List.of("kldload", "-n", "ipfw_nat"),
            List.of("sysctl", "-q", "net.inet.ip.fw.enable=1"),
            List.of("ifconfig", "em0", "-tso4", "-lro", "-vlanhwtso"),
            List.of("ipfw", "-q", "delete", "set", "27"),
            ipfwConfig("tcp 172.16.0.2:80 8080", "udp 172.16.0.2:53 53"),
            ipfwOut("172.16.0.0/30"),
            ipfwIn());
    assertThat(host.runner.commands()).noneMatch(argv -> argv.contains("flush"));
    assertThat(tmp.resolve("nat/state"))
        .content()
        .contains("boot=" + BOOT, "net.inet.ip.forwarding=0", "backends=ipfw");

    // a second NAT jail: forwarding's first value stays remembered, the rules are redone for both
    host.answers.remove("sysctl net.inet.ip.fw.enable=1");
    host.answers.put("sysctl -n net.inet.ip.forwarding", FakeFreeBsdHost.ok("1\n"));
    RuntimeSpec elsewhere = natJail("db", 1, "nat_interface=em1", "nat_forwards=tcp(5432)");
    runtime.start(elsewhere);
    assertThatThrownBy(() -> runtime.updateNat(List.of(web.network(), elsewhere.network())))
        .hasMessageContaining("expected the NAT jails with nat_backend=ipfw to leave by one")
        .hasMessageContaining("found em0, em1");
    runtime.stop(elsewhere);
    RuntimeSpec db = natJail("db", 1, "nat_forwards=tcp(5432)");
    runtime.start(db);
    mark = host.runner.commands().size();
    runtime.updateNat(List.of(web.network(), db.network()));
    assertThat(since(host, mark))
        .containsExactly(
            List.of("sysctl", "-n", "kern.boottime"),
            List.of("route", "-n", "get", "default"),
            List.of("sysctl", "-q", "net.inet.ip.forwarding=1"),
            List.of("sysctl", "net.inet.ip.fw.enable=1"),
            List.of("kldload", "-n", "ipfw_nat"),
            List.of("ifconfig", "em0", "-tso4", "-lro", "-vlanhwtso"),
            List.of("ipfw", "-q", "delete", "set", "27"),
            ipfwConfig(
                "tcp 172.16.0.2:80 8080", "udp 172.16.0.2:53 53", "tcp 172.16.0.6:5432 5432"),
            ipfwOut("172.16.0.0/30"),
            ipfwOut("172.16.0.4/30"),
            ipfwIn());

    // both stop; the last one takes warder's rules with it and forwarding goes back to 0
    runtime.stop(web);
    runtime.updateNat(List.of(db.network()));
    mark = host.runner.commands().size();
    runtime.stop(db);
    runtime.updateNat(List.of());
    assertThat(since(host, mark))
        .containsExactly(
            List.of("jls", "--libxo", "json", "-n"),
            List.of("jail", "-f", db.jailConf().toString(), "-r", "db"),
            List.of("ifconfig", "-l"),
            List.of("ifconfig", "vnet0.9", "destroy"),
            List.of("sysctl", "-n", "kern.boottime"),
            List.of("ipfw", "-q", "delete", "set", "27"),
            List.of("ipfw", "-q", "nat", "462", "delete"),
            List.of("sysctl", "-q", "net.inet.ip.forwarding=0"));
    assertThat(tmp.resolve("nat/state")).doesNotExist();
    assertThat(host.interfaces).containsExactlyInAnyOrder("em0", "lo0");

    // nothing of warder's is loaded: no NAT jail, nothing to do
    mark = host.runner.commands().size();
    runtime.updateNat(List.of());
    assertThat(since(host, mark)).containsExactly(List.of("sysctl", "-n", "kern.boottime"));
  }

  @Test
  void testPf_anchorRulesSecondJailAndLastStop() throws Exception {
    FakeFreeBsdHost host = host();
    host.answers.put(
        "pfctl -s nat",
        FakeFreeBsdHost.ok(
            "nat on em0 from 10.9.0.0/24 to any -> (em0) round-robin\n"
                + "nat-anchor \"warder/*\" all\nrdr-anchor \"warder/*\" all\n"));
    host.answers.put("pfctl -e", new CommandResult(1, "", "pfctl: pf already enabled\n"));
    FreeBsdJailRuntime runtime = new FreeBsdJailRuntime(host.runner, tmp);
    RuntimeSpec web = natJail("web", 0, "nat_backend=pf", "nat_forwards=tcp(80:8080)");
    RuntimeSpec db =
        natJail("db", 1, "nat_backend=pf", "nat_interface=em1", "nat_forwards=udp(53)");
    runtime.start(web);
    int mark = host.runner.commands().size();
    runtime.updateNat(List.of(web.network()));
    Path rules = tmp.resolve("nat/pf-nat.conf");
    List<String> load = List.of("pfctl", "-a", "warder/nat", "-f", rules.toString());
    assertThat(since(host, mark))
        .containsExactly(
            List.of("sysctl", "-n", "kern.boottime"),
            List.of("route", "-n", "get", "default"),
            List.of("kldload", "-n", "pf"),
            List.of("pfctl", "-s", "nat"),
            List.of("sysctl", "-n", "net.inet.ip.forwarding"),
            List.of("sysctl", "-q", "net.inet.ip.forwarding=1"),
            List.of("pfctl", "-e"),
            load);
    assertThat(rules)
        .hasContent(
            """
            # Generated by warder for its NAT jails; do not edit.
            nat on em0 from 172.16.0.0/30 to any -> (em0:0) static-port
            rdr pass on em0 inet proto tcp from any to (em0:0) port 8080 -> 172.16.0.2 port 80""");

    runtime.start(db);
    runtime.updateNat(List.of(web.network(), db.network()));
    assertThat(rules)
        .hasContent(
            """
            # Generated by warder for its NAT jails; do not edit.
            nat on em0 from 172.16.0.0/30 to any -> (em0:0) static-port
            nat on em1 from 172.16.0.4/30 to any -> (em1:0) static-port
            rdr pass on em0 inet proto tcp from any to (em0:0) port 8080 -> 172.16.0.2 port 80
            rdr pass on em1 inet proto udp from any to (em1:0) port 53 -> 172.16.0.6 port 53""");
    assertThat(host.runner.commands().get(host.runner.commands().size() - 1)).isEqualTo(load);

    runtime.stop(web);
    runtime.stop(db);
    mark = host.runner.commands().size();
    runtime.updateNat(List.of());
    assertThat(since(host, mark))
        .containsExactly(
            List.of("sysctl", "-n", "kern.boottime"),
            List.of("pfctl", "-a", "warder/nat", "-F", "all"),
            List.of("sysctl", "-q", "net.inet.ip.forwarding=0"));
    assertThat(host.runner.commands()).noneMatch(argv -> argv.contains("/etc/pf.conf"));
  }

  @Test
  void testPf_withoutTheAnchorInPfConf_refusedBeforeAnythingChanges() throws Exception {
    FakeFreeBsdHost host = host();
    host.answers.put(
        "pfctl -s nat", FakeFreeBsdHost.ok("nat on em0 from 10.9.0.0/24 to any -> (em0)\n"));
    FreeBsdJailRuntime runtime = new FreeBsdJailRuntime(host.runner, tmp);
    RuntimeSpec web = natJail("web", 0, "nat_backend=pf");
    int mark = host.runner.commands().size();
    assertThatThrownBy(() -> runtime.updateNat(List.of(web.network())))
        .hasMessageContaining("pf's loaded ruleset does not call warder's anchor")
        .hasMessageContaining("add these two lines to it")
        .hasMessageContaining("\n  nat-anchor \"warder/*\"\n  rdr-anchor \"warder/*\"\n")
        .hasMessageContaining("pfctl -f /etc/pf.conf");
    assertThat(since(host, mark))
        .containsExactly(
            List.of("sysctl", "-n", "kern.boottime"),
            List.of("route", "-n", "get", "default"),
            List.of("kldload", "-n", "pf"),
            List.of("pfctl", "-s", "nat"));
    assertThat(tmp.resolve("nat")).doesNotExist();
  }

  @Test
  void testDescribeNat_listsTheCommandsAndRunsNone() throws Exception {
    FakeFreeBsdHost host = host();
    FreeBsdJailRuntime runtime = new FreeBsdJailRuntime(host.runner, tmp);
    RuntimeSpec web = natJail("web", 0, "nat_interface=em0", "nat_forwards=tcp(80:8080)");
    assertThat(runtime.describeNat(List.of(web.network())))
        .contains(
            "ipfw -q delete set 27",
            "ipfw -q nat 462 config if em0 same_ports redirect_port tcp 172.16.0.2:80 8080",
            "ipfw -q add 100 set 27 nat 462 ip4 from 172.16.0.0/30 to any out via em0");
    assertThat(runtime.describeNat(List.of()).get(0)).contains("ipfw -q delete set 27");
    assertThat(host.runner.commands()).isEmpty();
  }
}
