package org.warder.client.jail.props;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.warder.client.jail.props.PropertyException.Problem;

/**
 * Checks that valid property values do not contradict each other (see {@link
 * JailProperties#checkConsistent()}).
 */
final class Consistency {
  private Consistency() {}

  static void check(JailProperties p) throws PropertyException {
    boolean vnet = p.isTrue("vnet");
    require(
        !p.isTrue("dhcp") || vnet,
        "dhcp",
        "dhcp=1 needs vnet=1 (a DHCP client needs the jail's own network stack); set vnet=1");
    require(!p.isTrue("bpf") || vnet, "bpf", "bpf=1 needs vnet=1; set vnet=1 or bpf=0");
    require(
        !(p.isTrue("dhcp") && p.isTrue("nat")),
        "dhcp",
        "dhcp=1 and nat=1 exclude each other; choose one network mode");
    require(
        !p.isTrue("ip_hostname") || !vnet,
        "ip_hostname",
        "ip_hostname=1 adds addresses for jail(8) to alias on the host, which a vnet=1 jail"
            + " does not use; set ip_hostname=0 or vnet=0");
    List<String> rtadv = p.acceptRtadvInterfaces();
    require(
        rtadv.isEmpty() || vnet,
        "ip6_addr",
        "ip6_addr entry "
            + rtadv.stream().findFirst().orElse("")
            + "|accept_rtadv needs vnet=1 (router advertisements reach only the jail's own"
            + " network stack); set vnet=1");
    require(
        !p.isTrue("rtsold") || !rtadv.isEmpty(),
        "rtsold",
        "rtsold=1 needs an ip6_addr entry IFACE|accept_rtadv (as in iocage), found ip6_addr="
            + p.value("ip6_addr")
            + "; add vnet0|accept_rtadv to ip6_addr or set rtsold=0");
    require(
        !p.isTrue("nat") || vnet,
        "nat",
        "nat=1 needs vnet=1 (the jail's private address lives on its own vnet interface); set vnet=1");
    require(
        !p.isTrue("dhcp") || p.value("ip4_addr").equals("none"),
        "ip4_addr",
        "ip4_addr is set together with dhcp=1; choose one network mode (ip4_addr=none, or dhcp=0)");
    require(
        !p.isTrue("nat") || p.value("ip4_addr").equals("none") || natAddress(p),
        "ip4_addr",
        "ip4_addr is set together with nat=1 but is not the NAT address warder allocates"
            + " (vnet0|"
            + p.value("nat_prefix")
            + ".X.Y/30); choose one network mode (ip4_addr=none, or nat=0)");
    require(
        p.value("nat_forwards").equals("none") || p.isTrue("nat"),
        "nat_forwards",
        "nat_forwards needs nat=1; set nat=1 or nat_forwards=none");
    for (String v : List.of("4", "6")) {
      String key = "ip" + v + "_addr";
      require(
          vnet || p.value(key).equals("none") || p.value("ip" + v).equals("new"),
          key,
          key
              + " is set but ip"
              + v
              + "="
              + p.value("ip" + v)
              + "; jail(8) takes addresses only with ip"
              + v
              + "=new; set ip"
              + v
              + "=new or "
              + key
              + "=none");
      List<String> entries = new ArrayList<>();
      (v.equals("4") ? p.ip4Addresses() : p.ip6Addresses()).forEach(a -> entries.add(a.toString()));
      if (v.equals("6")) {
        rtadv.forEach(nic -> entries.add(nic + "|" + NetworkTypes.ACCEPT_RTADV));
      }
      List<String> nics =
          List.of(p.value("interfaces").split(",")).stream().map(e -> e.split(":")[0]).toList();
      for (String a : entries) {
        String nic = a.contains("|") ? a.substring(0, a.indexOf('|')) : "vnet0";
        require(
            !vnet || nics.contains(nic),
            key,
            key
                + " entry "
                + a
                + " is on "
                + nic
                + ", which interfaces ("
                + p.value("interfaces")
                + ") does not name; add "
                + nic
                + ":BRIDGE to interfaces, put the address on one of "
                + String.join(", ", nics)
                + ", or set vnet=0 for an address jail(8) adds to the host's "
                + nic);
      }
    }
    Optional<JailName> self = p.name();
    require(
        self.isEmpty() || !p.depends().contains(self.get()),
        "depends",
        "a jail cannot depend on itself; remove "
            + self.map(JailName::value).orElse("")
            + " from depends");
  }

  /** Whether ip4_addr is the single vnet0 /30 inside nat_prefix that NAT allocation stores. */
  private static boolean natAddress(JailProperties p) {
    List<IpAssignment> v4 = p.ip4Addresses();
    return v4.size() == 1
        && v4.get(0).iface().orElse("").equals("vnet0")
        && v4.get(0).prefix().orElse(0) == 30
        && v4.get(0).address().startsWith(p.value("nat_prefix") + ".");
  }

  private static void require(boolean ok, String key, String message) throws PropertyException {
    if (!ok) {
      throw PropertyException.of(Problem.INCONSISTENT, key, null, message);
    }
  }
}
