package org.warder.client.jail.props;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.warder.client.jail.props.Inet.Family;
import org.warder.client.jail.props.PropertyType.Invalid;
import org.warder.client.jail.props.PropertyType.Json;

/**
 * The network property types: address lists, routers, interfaces, NAT forwards, resolver, cpuset.
 */
final class NetworkTypes {
  private static final Pattern FORWARD =
      Pattern.compile("(tcp|udp)\\(([0-9]{1,5})(?::([0-9]{1,5}))?\\)|([0-9]{1,5})");
  private static final Pattern RESOLV_LINE =
      Pattern.compile("(nameserver|search|domain|options|sortlist)\\s+\\S.*");

  private NetworkTypes() {}

  /** iocage's ip6_addr entry for IPv6 from router advertisements: {@code vnet0|accept_rtadv}. */
  static final String ACCEPT_RTADV = "accept_rtadv";

  /**
   * {@code none} or a comma-separated list of {@code [interface|]address[/prefix]}, as iocage's
   * ip4_addr and ip6_addr (for example {@code em0|203.0.113.5/24}); ip6_addr also takes iocage's
   * {@code [interface|]accept_rtadv} (normalized with its interface, vnet0 when none is given).
   */
  static PropertyType addressList(Family family) {
    String example = family == Family.V4 ? "em0|203.0.113.5/24" : "em0|2001:db8::5/64";
    String expected =
        "none or a comma-separated list of [interface|]IPv"
            + (family == Family.V4 ? "4" : "6")
            + "[/prefix] (e.g. "
            + example
            + ")";
    return new PropertyType(
        "ip" + (family == Family.V4 ? "4" : "6") + "-list",
        expected,
        Json.STRING,
        raw -> {
          String v = raw.trim();
          if (v.equals("none")) {
            return v;
          }
          List<String> out = new ArrayList<>();
          for (String entry : v.split(",", -1)) {
            Optional<String> rtadv = rtadv(family, entry.trim());
            out.add(
                rtadv.isPresent()
                    ? rtadv.get() + "|" + ACCEPT_RTADV
                    : entry(family, entry.trim()).toString());
          }
          return String.join(",", out);
        });
  }

  /**
   * The address entries of a normalized (or raw) address list, without {@code accept_rtadv}
   * entries; {@code none} is empty.
   */
  static List<IpAssignment> parse(Family family, String list) throws Invalid {
    List<IpAssignment> out = new ArrayList<>();
    if (list.equals("none")) {
      return out;
    }
    for (String entry : list.split(",", -1)) {
      if (rtadv(family, entry.trim()).isEmpty()) {
        out.add(entry(family, entry.trim()));
      }
    }
    return out;
  }

  /** The interfaces of the {@code accept_rtadv} entries of a normalized ip6_addr, in order. */
  static List<String> rtadvInterfaces(String list) throws Invalid {
    List<String> out = new ArrayList<>();
    if (!list.equals("none")) {
      for (String entry : list.split(",", -1)) {
        rtadv(Family.V6, entry.trim()).ifPresent(out::add);
      }
    }
    return out;
  }

  /**
   * The interface of an {@code [interface|]accept_rtadv} entry (vnet0 without one, as addresses
   * without an interface belong to vnet0), or empty for any other entry.
   */
  private static Optional<String> rtadv(Family family, String entry) throws Invalid {
    int bar = entry.indexOf('|');
    String rest = entry.substring(bar + 1);
    if (!rest.equalsIgnoreCase(ACCEPT_RTADV)) {
      return Optional.empty();
    }
    if (family == Family.V4) {
      throw new Invalid(
          "accept_rtadv takes IPv6 from router advertisements; put it in ip6_addr (e.g."
              + " ip6_addr='vnet0|accept_rtadv'), and use dhcp=1 for IPv4");
    }
    String iface = bar >= 0 ? entry.substring(0, bar) : "vnet0";
    if (!Inet.isInterfaceName(iface)) {
      throw new Invalid("'" + Printable.of(iface) + "' is not an interface name");
    }
    return Optional.of(iface);
  }

  private static IpAssignment entry(Family family, String entry) throws Invalid {
    if (entry.isEmpty()) {
      throw new Invalid("empty entry in the list");
    }
    String iface = null;
    String rest = entry;
    int bar = entry.indexOf('|');
    if (bar >= 0) {
      iface = entry.substring(0, bar);
      rest = entry.substring(bar + 1);
      if (!Inet.isInterfaceName(iface)) {
        throw new Invalid("'" + Printable.of(iface) + "' is not an interface name");
      }
    }
    if (rest.equalsIgnoreCase("dhcp")) {
      throw new Invalid(rest + " is not an address; use dhcp=1 (with vnet=1) for DHCP");
    }
    OptionalInt prefix = OptionalInt.empty();
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      String p = rest.substring(slash + 1);
      if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > family.maxPrefix) {
        throw new Invalid(
            "'/" + Printable.of(p) + "' is not a prefix length 0-" + family.maxPrefix);
      }
      prefix = OptionalInt.of(Integer.parseInt(p));
      rest = rest.substring(0, slash);
    }
    return new IpAssignment(Optional.ofNullable(iface), Inet.address(family, rest), prefix);
  }

  /** {@code auto}, {@code none} or one address: the default route of a vnet jail. */
  static PropertyType router(Family family) {
    return new PropertyType(
        "router",
        "auto, none or an IPv" + (family == Family.V4 ? "4" : "6") + " address",
        Json.STRING,
        raw -> {
          String v = raw.trim().toLowerCase(Locale.ROOT);
          return v.equals("auto") || v.equals("none") ? v : Inet.address(family, v);
        });
  }

  /** iocage's {@code interfaces}: {@code vnet0:bridge0,vnet1:bridge1}. */
  static PropertyType vnetInterfaces() {
    return new PropertyType(
        "interfaces",
        "a comma-separated list of vnetN:bridge (e.g. vnet0:bridge0)",
        Json.STRING,
        raw -> {
          List<String> out = new ArrayList<>();
          for (String pair : raw.trim().split(",", -1)) {
            String[] p = pair.trim().split(":", -1);
            if (p.length != 2 || !p[0].matches("vnet[0-3]") || !Inet.isInterfaceName(p[1])) {
              throw new Invalid(
                  "'"
                      + Printable.of(pair)
                      + "' is not vnetN:bridge with N 0-3 (as iocage's vnetN_mac)");
            }
            out.add(p[0] + ":" + p[1]);
          }
          return String.join(",", out);
        });
  }

  /**
   * iocage's {@code vnetN_mac}: {@code none} (generated from {@code mac_prefix} at the first start
   * and stored) or the host-side and jail-side MAC addresses, 12 hex digits each, separated by a
   * space or a comma.
   */
  static PropertyType macPair() {
    return new PropertyType(
        "mac-pair",
        "none or two MAC addresses of 12 hex digits, host side first (e.g. 02ff60a1b2c3 02ff60a1b2c4)",
        Json.STRING,
        raw -> {
          String v = raw.trim().toLowerCase(Locale.ROOT);
          if (v.equals("none")) {
            return v;
          }
          String[] macs = v.replace(',', ' ').trim().split("\\s+");
          if (macs.length != 2) {
            throw new Invalid("expected two MAC addresses, found " + macs.length);
          }
          for (String mac : macs) {
            if (!mac.replace(":", "").matches("[0-9a-f]{12}")) {
              throw new Invalid("'" + Printable.of(mac) + "' is not 12 hex digits");
            }
          }
          return macs[0].replace(":", "") + " " + macs[1].replace(":", "");
        });
  }

  /** iocage's {@code mac_prefix}: the first 6 hex digits of generated MAC addresses. */
  static PropertyType macPrefix() {
    return new PropertyType(
        "mac-prefix",
        "6 hex digits of a locally administered unicast prefix (e.g. 02ff60)",
        Json.STRING,
        raw -> {
          String v = raw.trim().toLowerCase(Locale.ROOT);
          if (!v.matches("[0-9a-f]{6}") || (Integer.parseInt(v.substring(0, 2), 16) & 1) != 0) {
            throw new Invalid("'" + Printable.of(v) + "' is not 6 hex digits of a unicast prefix");
          }
          return v;
        });
  }

  /** iocage's {@code vnetN_mtu}: {@code auto} (the bridge member's) or an MTU. */
  static PropertyType mtuOrAuto() {
    return new PropertyType(
        "mtu",
        "auto or an MTU of 576-65535",
        Json.STRING,
        raw -> {
          String v = raw.trim().toLowerCase(Locale.ROOT);
          if (v.equals("auto")) {
            return v;
          }
          if (!v.matches("[0-9]{3,5}")
              || Integer.parseInt(v) < 576
              || Integer.parseInt(v) > 65535) {
            throw new Invalid("'" + Printable.of(v) + "' is not auto or an MTU of 576-65535");
          }
          return v;
        });
  }

  /**
   * iocage's {@code vnet_default_interface}: {@code auto} (the interface of the host's default
   * route), {@code none}, or a host interface that joins every vnet bridge.
   */
  static PropertyType defaultInterface() {
    return new PropertyType(
        "default-interface",
        "auto, none or a host interface name such as em0",
        Json.STRING,
        raw -> {
          String v = raw.trim();
          if (!v.equals("auto") && !v.equals("none") && !Inet.isInterfaceName(v)) {
            throw new Invalid("");
          }
          return v;
        });
  }

  static PropertyType interfaceOrNone() {
    return new PropertyType(
        "interface",
        "none or an interface name such as em0",
        Json.STRING,
        raw -> {
          String v = raw.trim();
          if (!v.equals("none") && !Inet.isInterfaceName(v)) {
            throw new Invalid("");
          }
          return v;
        });
  }

  /** iocage's {@code nat_forwards}: {@code none} or {@code tcp(80:8282),udp(53),8080}. */
  static PropertyType natForwards() {
    return new PropertyType(
        "nat-forwards",
        "none or a comma-separated list of proto(jailport:hostport), proto(port) or port, proto tcp or udp "
            + "(e.g. tcp(80:8282),tcp(443:8283))",
        Json.STRING,
        raw -> {
          String v = raw.trim().toLowerCase(Locale.ROOT);
          if (v.equals("none")) {
            return v;
          }
          List<String> out = new ArrayList<>();
          for (String rule : v.split(",", -1)) {
            Matcher m = FORWARD.matcher(rule.trim());
            if (!m.matches()) {
              throw new Invalid("'" + Printable.of(rule) + "' is not a forward rule");
            }
            for (int g = 2; g <= 4; g++) {
              if (m.group(g) != null
                  && (Integer.parseInt(m.group(g)) < 1 || Integer.parseInt(m.group(g)) > 65535)) {
                throw new Invalid("port " + m.group(g) + " is not 1-65535");
              }
            }
            out.add(rule.trim());
          }
          return String.join(",", out);
        });
  }

  /** iocage's {@code nat_prefix}: the first two octets of the NAT network, e.g. 172.16. */
  static PropertyType natPrefix() {
    return new PropertyType(
        "nat-prefix",
        "two octets such as 172.16",
        Json.STRING,
        raw -> {
          String v = raw.trim();
          Inet.ipv4(v + ".0.0");
          return v;
        });
  }

  /**
   * iocage's {@code resolver}: {@code none} (leave the jail's resolv.conf alone), the absolute path
   * of a host file to copy, or resolv.conf lines separated by ';'.
   */
  static PropertyType resolver() {
    return new PropertyType(
        "resolver",
        "none, an absolute path of a host file to copy, or resolv.conf lines separated by ';' "
            + "(e.g. nameserver 192.0.2.53;search example.org)",
        Json.STRING,
        raw -> {
          String v = PropertyTypes.singleLine(raw, 1024).trim();
          if (v.equals("none") || v.startsWith("/")) {
            return v.equals("none") ? v : PropertyTypes.absolutePath(v);
          }
          for (String line : v.split(";", -1)) {
            if (!RESOLV_LINE.matcher(line.trim()).matches()) {
              throw new Invalid("'" + Printable.of(line.trim()) + "' is not a resolv.conf line");
            }
          }
          return v;
        });
  }

  /** iocage's {@code cpuset}: {@code off} or a cpuset(1) list such as {@code 0-3,6}. */
  static PropertyType cpuset() {
    return new PropertyType(
        "cpuset",
        "off or a list of CPUs and ranges such as 0-3,6 (CPUs 0-1023)",
        Json.STRING,
        raw -> {
          String v = raw.trim().toLowerCase(Locale.ROOT);
          if (v.equals("off")) {
            return v;
          }
          for (String part : v.split(",", -1)) {
            String[] r = part.split("-", -1);
            if (r.length > 2
                || !r[0].matches("[0-9]{1,4}")
                || (r.length == 2 && !r[1].matches("[0-9]{1,4}"))) {
              throw new Invalid("'" + Printable.of(part) + "' is not a CPU or range");
            }
            int lo = Integer.parseInt(r[0]);
            int hi = r.length == 2 ? Integer.parseInt(r[1]) : lo;
            if (hi > 1023 || lo > hi) {
              throw new Invalid("'" + part + "' is not a CPU range within 0-1023");
            }
          }
          return v;
        });
  }
}
