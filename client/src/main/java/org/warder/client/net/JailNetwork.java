package org.warder.client.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.warder.client.jail.props.IpAssignment;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;

/**
 * What a jail's network is at start, resolved from its properties without asking the host: its vnet
 * interfaces with their addresses, default routes, DHCP, and NAT. A jail without {@code vnet=1} has
 * no interfaces here: jail(8) gives it the host's addresses its ip4_addr/ip6_addr name.
 *
 * @param interfaces the vnet interfaces, in {@code interfaces} order; empty without vnet
 * @param router4 the IPv4 default route set inside the jail (none with DHCP: the lease has it)
 * @param router6 the IPv6 default route set inside the jail (none when an interface takes router
 *     advertisements: they bring it, as in iocage)
 * @param dhcp whether IPv4 comes from DHCP on every interface (iocage's dhcp=1)
 * @param defaultInterface vnet_default_interface: auto, none or a host interface
 * @param defaultMtu vnet_default_mtu, for a bridge without members
 * @param nat the NAT side, when nat=1
 */
public record JailNetwork(
    JailName jail,
    List<VnetInterface> interfaces,
    Router router4,
    Router router6,
    boolean dhcp,
    String defaultInterface,
    int defaultMtu,
    Optional<Nat> nat) {
  public JailNetwork {
    interfaces = List.copyOf(interfaces);
  }

  /** A jail without a network of its own. */
  public static JailNetwork none(JailName jail) {
    return new JailNetwork(
        jail,
        List.of(),
        Router.of("none"),
        Router.of("none"),
        false,
        "none",
        1500,
        Optional.empty());
  }

  /**
   * The network {@code props} describe for jail {@code jail}. MACs not stored yet ({@code
   * vnetN_mac=none}) are generated as iocage does; a NAT jail must have its address pair already
   * (ip4_addr {@code vnet0|ADDRESS/30} and defaultrouter its gateway, see {@link NatAddresses}).
   */
  public static JailNetwork of(JailName jail, JailProperties props) {
    if (!props.isTrue("vnet")) {
      return none(jail);
    }
    boolean dhcp = props.isTrue("dhcp");
    List<VnetInterface> interfaces = new ArrayList<>();
    for (String entry : props.value("interfaces").split(",")) {
      String[] nicBridge = entry.split(":");
      String nic = nicBridge[0];
      String storedMac = props.value(nic + "_mac");
      Mac.Pair macs =
          storedMac.equals("none")
              ? Mac.pair(jail.value(), nic, props.value("mac_prefix"))
              : Mac.parsePair(storedMac);
      String mtu = props.value(nic + "_mtu");
      interfaces.add(
          new VnetInterface(
              nic,
              nicBridge[1],
              macs,
              mtu.equals("auto") ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(mtu)),
              dhcp ? List.of() : addresses(props.ip4Addresses(), nic),
              addresses(props.ip6Addresses(), nic),
              props.acceptRtadvInterfaces().contains(nic)));
    }
    Optional<Nat> nat = Optional.empty();
    if (props.isTrue("nat")) {
      List<IpAssignment> v4 = props.ip4Addresses();
      if (v4.isEmpty() || props.value("defaultrouter").equals("auto")) {
        throw new IllegalArgumentException(
            "the NAT addresses of " + jail + " are not allocated yet (NatAddresses.allocate)");
      }
      String iface = props.value("nat_interface");
      nat =
          Optional.of(
              new Nat(
                  Nat.Backend.of(props.value("nat_backend")),
                  iface.equals("none") ? Optional.empty() : Optional.of(iface),
                  v4.get(0).address(),
                  props.value("defaultrouter"),
                  PortForward.parse(props.value("nat_forwards"))));
    }
    return new JailNetwork(
        jail,
        interfaces,
        dhcp ? Router.of("none") : Router.of(props.value("defaultrouter")),
        props.acceptRtadvInterfaces().isEmpty()
            ? Router.of(props.value("defaultrouter6"))
            : Router.of("none"),
        dhcp,
        props.value("vnet_default_interface"),
        props.intValue("vnet_default_mtu"),
        nat);
  }

  /** Whether the jail has its own network stack. */
  public boolean vnet() {
    return !interfaces.isEmpty();
  }

  /** The entries for {@code nic} (entries without an interface belong to vnet0, as in iocage). */
  private static List<String> addresses(List<IpAssignment> entries, String nic) {
    List<String> out = new ArrayList<>();
    for (IpAssignment a : entries) {
      if (a.iface().orElse("vnet0").equals(nic)) {
        out.add(a.address() + (a.prefix().isPresent() ? "/" + a.prefix().getAsInt() : ""));
      }
    }
    return out;
  }
}
