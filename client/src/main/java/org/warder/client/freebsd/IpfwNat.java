package org.warder.client.freebsd;

import java.util.ArrayList;
import java.util.List;
import org.warder.client.net.PortForward;

/**
 * warder's NAT with ipfw(8), as iocage's (one NAT instance, 462, with a redirect_port per forward)
 * except that its rules live in a set of their own, 27, replaced with {@code ipfw -q delete set
 * 27}: iocage's {@code ipfw -q flush} would remove the administrator's rules too.
 */
public final class IpfwNat {
  /** The ipfw NAT instance, iocage's number. */
  public static final String INSTANCE = "462";

  /** The ipfw rule set that holds warder's rules and nothing else. */
  public static final String SET = "27";

  private IpfwNat() {}

  /** {@code sysctl net.inet.ip.fw.enable=1}: fails while ipfw is not loaded (as iocage checks). */
  public static List<String> enable() {
    return List.of("sysctl", "net.inet.ip.fw.enable=1");
  }

  /**
   * Loading ipfw as iocage does: accepting by default first, so that loading it does not cut the
   * host off; then enabling it.
   */
  public static List<List<String>> load() {
    return List.of(
        List.of("kenv", "net.inet.ip.fw.default_to_accept=1"),
        List.of("kldload", "-n", "ipfw"),
        List.of("kldload", "-n", "ipfw_nat"),
        List.of("sysctl", "-q", "net.inet.ip.fw.enable=1"));
  }

  /** {@code kldload -n ipfw_nat}, for a host that has ipfw loaded already. */
  public static List<String> loadNat() {
    return List.of("kldload", "-n", "ipfw_nat");
  }

  /** iocage's offloads off on the NAT interface (ipfw's in-kernel NAT and TSO/LRO do not mix). */
  public static List<String> offloadsOff(String iface) {
    return List.of("ifconfig", iface, "-tso4", "-lro", "-vlanhwtso");
  }

  /** Removes warder's rules, and only them. */
  public static List<String> deleteSet() {
    return List.of("ipfw", "-q", "delete", "set", SET);
  }

  /** Removes warder's NAT instance. */
  public static List<String> deleteInstance() {
    return List.of("ipfw", "-q", "nat", INSTANCE, "delete");
  }

  /**
   * The NAT instance on {@code iface} with every jail's forwards, then the rules that send the
   * jails' traffic through it: out per jail network, in once.
   */
  public static List<List<String>> rules(String iface, List<NatJail> jails) {
    List<String> config =
        new ArrayList<>(
            List.of("ipfw", "-q", "nat", INSTANCE, "config", "if", iface, "same_ports"));
    for (NatJail j : jails) {
      for (PortForward f : j.nat().forwards()) {
        config.addAll(
            List.of(
                "redirect_port",
                f.protocol(),
                j.nat().jailAddress() + ":" + f.jailPort(),
                Integer.toString(f.hostPort())));
      }
    }
    List<List<String>> out = new ArrayList<>();
    out.add(List.copyOf(config));
    for (NatJail j : jails) {
      out.add(
          List.of(
              "ipfw",
              "-q",
              "add",
              "100",
              "set",
              SET,
              "nat",
              INSTANCE,
              "ip4",
              "from",
              j.network(),
              "to",
              "any",
              "out",
              "via",
              iface));
    }
    out.add(
        List.of(
            "ipfw", "-q", "add", "101", "set", SET, "nat", INSTANCE, "ip4", "from", "any", "to",
            "any", "in", "via", iface));
    return out;
  }
}
