package org.warder.client.jail.props;

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
        !(p.isTrue("dhcp") || p.isTrue("nat")) || p.value("ip4_addr").equals("none"),
        "ip4_addr",
        "ip4_addr is set together with dhcp=1 or nat=1; choose one network mode (ip4_addr=none, or dhcp=0 nat=0)");
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
      List<IpAssignment> entries = v.equals("4") ? p.ip4Addresses() : p.ip6Addresses();
      require(
          !vnet || entries.stream().allMatch(a -> a.iface().isPresent()),
          key,
          "with vnet=1 every "
              + key
              + " entry names the jail-side interface, e.g. vnet0|192.0.2.10/24");
    }
    Optional<JailName> self = p.name();
    require(
        self.isEmpty() || !p.depends().contains(self.get()),
        "depends",
        "a jail cannot depend on itself; remove "
            + self.map(JailName::value).orElse("")
            + " from depends");
  }

  private static void require(boolean ok, String key, String message) throws PropertyException {
    if (!ok) {
      throw PropertyException.of(Problem.INCONSISTENT, key, null, message);
    }
  }
}
