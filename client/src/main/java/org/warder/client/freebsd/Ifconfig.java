package org.warder.client.freebsd;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what ifconfig(8) prints: an interface's MTU, a bridge's members, and the addresses of one
 * or all interfaces. Lines that are not understood are skipped: ifconfig's output grows options
 * across releases.
 */
public final class Ifconfig {
  private static final Pattern HEADER = Pattern.compile("^([A-Za-z0-9_.]+): flags=.*");
  private static final Pattern MTU = Pattern.compile("\\smtu (\\d+)");
  private static final Pattern INET =
      Pattern.compile("^\\s+inet ([0-9.]+) netmask 0x([0-9a-fA-F]{8}).*");
  private static final Pattern INET6 = Pattern.compile("^\\s+inet6 ([0-9a-fA-F:]+)(%\\S+)? .*");

  /** Interfaces the host makes for jails: their addresses are not the host's own (as iocage). */
  private static final List<String> JAIL_SIDE = List.of("vnet", "bridge", "epair", "pflog");

  private Ifconfig() {}

  /** The MTU {@code ifconfig IFACE} reports on its first line; empty without one. */
  public static OptionalInt mtu(String output) {
    Matcher m = MTU.matcher(output.lines().findFirst().orElse(""));
    return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }

  /** The members {@code ifconfig BRIDGE} lists, in its order. */
  public static List<String> bridgeMembers(String output) {
    List<String> members = new ArrayList<>();
    for (String line : output.split("\\R")) {
      String[] words = line.trim().split("\\s+");
      if (words.length > 1 && words[0].equals("member:")) {
        members.add(words[1]);
      }
    }
    return members;
  }

  /**
   * The IPv4 and then IPv6 addresses of the interfaces in {@code output}, without prefix, leaving
   * out loopback interfaces and IPv6 link-local addresses (what a jail's own addresses are).
   */
  public static List<String> addresses(String output) {
    return collect(output, false);
  }

  /**
   * The addresses the host itself has, as iocage counts them: every interface but loopback and the
   * ones made for jails (vnet, bridge, epair, pflog).
   */
  public static List<String> hostAddresses(String output) {
    return collect(output, true);
  }

  /** The first IPv4 address and its prefix length, e.g. {@code 192.0.2.7/24}; empty without. */
  public static java.util.Optional<String> firstInet(String output) {
    for (String line : output.split("\\R")) {
      Matcher m = INET.matcher(line);
      if (m.matches()) {
        return java.util.Optional.of(
            m.group(1) + "/" + Long.bitCount(Long.parseLong(m.group(2), 16)));
      }
    }
    return java.util.Optional.empty();
  }

  private static List<String> collect(String output, boolean hostOnly) {
    List<String> v4 = new ArrayList<>();
    List<String> v6 = new ArrayList<>();
    boolean skip = false;
    for (String line : output.split("\\R")) {
      Matcher header = HEADER.matcher(line);
      if (header.matches()) {
        String name = header.group(1);
        skip = name.startsWith("lo") || (hostOnly && JAIL_SIDE.stream().anyMatch(name::startsWith));
        continue;
      }
      if (skip) {
        continue;
      }
      Matcher inet = INET.matcher(line);
      Matcher inet6 = INET6.matcher(line);
      if (inet.matches()) {
        v4.add(inet.group(1));
      } else if (inet6.matches()
          && !inet6.group(1).toLowerCase(java.util.Locale.ROOT).startsWith("fe80:")) {
        v6.add(inet6.group(1));
      }
    }
    v4.addAll(v6);
    return v4;
  }
}
