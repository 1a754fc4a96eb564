package org.warder.client.freebsd;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandResult;
import org.warder.client.exec.CommandRunner;
import org.warder.client.jail.props.JailName;
import org.warder.client.net.JailNetwork;
import org.warder.client.net.Nat;
import org.warder.client.net.Router;
import org.warder.client.net.VnetInterface;

/**
 * A jail's network on the FreeBSD host, as iocage's start code makes it: per vnet interface a
 * bridge (created with the default interface as member when missing), an epair whose host side is
 * named {@code vnetN.JID} and joins the bridge (or, for NAT, carries the jail's gateway), whose
 * jail side is moved into the jail and named {@code vnetN} there (iocage keeps {@code epairNb});
 * then the jail's addresses and default routes. A non-vnet jail's addresses without an interface go
 * on the default route's interface. Runs its commands with the given runner. Thread-safe.
 */
public final class FreeBsdNetwork {
  /** Placeholders {@link #describeUp} shows for what only the host can say. */
  static final String JID = "JID";

  private final CommandRunner runner;

  public FreeBsdNetwork(CommandRunner runner) {
    this.runner = runner;
  }

  /** {@code route -n get default}, or with {@code -inet6}. */
  public static List<String> routeGetDefault(boolean inet6) {
    return inet6
        ? List.of("route", "-n", "get", "-inet6", "default")
        : List.of("route", "-n", "get", "default");
  }

  /** The host's default route for one family; none when route(8) finds none. */
  public DefaultRoute defaultRoute(boolean inet6) throws IOException, InterruptedException {
    CommandResult r = runner.run(Command.of(routeGetDefault(inet6)));
    return r.ok() ? DefaultRoute.parse(r.stdout()) : DefaultRoute.none();
  }

  /**
   * The host interface the default route leaves by (IPv4's, else IPv6's, as iocage), for {@code
   * vnet_default_interface=auto}, a NAT jail without {@code nat_interface}, and addresses without
   * an interface.
   */
  public Optional<String> defaultInterface() throws IOException, InterruptedException {
    Optional<String> v4 = defaultRoute(false).iface();
    return v4.isPresent() ? v4 : defaultRoute(true).iface();
  }

  /**
   * A non-vnet jail's ip4.addr or ip6.addr value with the default route's interface put in front of
   * every entry that names none ({@code IFACE|ADDRESS}), unless the host has that address already
   * (then jail(8) uses it as it is), as iocage's check_aliases. Unchanged without a default route.
   */
  public String withDefaultInterface(String addresses, boolean inet6)
      throws IOException, InterruptedException {
    List<String> entries = List.of(addresses.split(","));
    if (entries.stream().allMatch(e -> e.contains("|"))) {
      return addresses;
    }
    Optional<String> iface = defaultRoute(inet6).iface();
    if (iface.isEmpty()) {
      return addresses;
    }
    List<String> host = Ifconfig.hostAddresses(runner.check(Command.of("ifconfig")).stdout());
    List<String> out = new ArrayList<>();
    for (String e : entries) {
      boolean onHost = host.contains(e.split("/")[0]);
      out.add(e.contains("|") || onHost ? e : iface.get() + "|" + e);
    }
    return String.join(",", out);
  }

  /**
   * Makes the interfaces, addresses and routes of {@code net} for jail {@code name}, running with
   * jail id {@code jid} and commands inside it under routing table {@code fib} (0: none); each
   * interface created is remembered in {@code created}. Fails naming the command that failed.
   */
  public void up(JailName name, long jid, JailNetwork net, int fib, Teardown created)
      throws IOException, InterruptedException {
    Optional<DefaultRoute> route4 = Optional.empty();
    for (VnetInterface i : configured(net)) {
      String mtu;
      if (i.mtu().isPresent()) {
        mtu = Integer.toString(i.mtu().getAsInt());
      } else if (net.nat().isPresent()) {
        mtu = Integer.toString(net.defaultMtu());
      } else {
        mtu = bridgeMtu(i.bridge(), net, created);
      }
      String epairA = runner.check(Command.of("ifconfig", "epair", "create")).stdout().strip();
      if (!epairA.matches("epair[0-9]+a")) {
        throw new IOException(
            "expected 'ifconfig epair create' to print the new interface, e.g. epair3a; found '"
                + epairA
                + "'");
      }
      int pair = created.add(List.of("ifconfig", epairA, "destroy"));
      List<List<String>> steps =
          interfaceCommands(name, Long.toString(jid), i, epairA, mtu, net, fib);
      runner.check(Command.of(steps.get(0)));
      created.replace(pair, List.of("ifconfig", hostSide(i, Long.toString(jid)), "destroy"));
      for (List<String> argv : steps.subList(1, steps.size())) {
        runner.check(Command.of(argv));
      }
    }
    for (boolean inet6 : new boolean[] {false, true}) {
      Router router = inet6 ? net.router6() : net.router4();
      if (router.kind() == Router.Kind.NONE || !hasAddresses(net, inet6)) {
        continue;
      }
      Optional<String> gateway = router.address();
      if (router.kind() == Router.Kind.AUTO) {
        if (!inet6 && route4.isEmpty()) {
          route4 = Optional.of(defaultRoute(false));
        }
        gateway = (inet6 ? defaultRoute(true) : route4.get()).gateway();
      }
      if (gateway.isPresent()) {
        runner.check(Command.of(routeAdd(name, net, inet6, gateway.get(), fib)));
      }
    }
  }

  /** What {@link #up} runs, with JID, epairNa, MTU and the host's gateway as placeholders. */
  public List<String> describeUp(JailName name, JailNetwork net, int fib) {
    List<String> lines = new ArrayList<>();
    for (VnetInterface i : configured(net)) {
      String mtu = i.mtu().isPresent() ? Integer.toString(i.mtu().getAsInt()) : "MTU";
      if (i.mtu().isEmpty() && net.nat().isPresent()) {
        mtu = Integer.toString(net.defaultMtu());
      } else if (i.mtu().isEmpty()) {
        lines.add(
            "ifconfig "
                + i.bridge()
                + " (when missing: ifconfig "
                + i.bridge()
                + " create, then addm "
                + net.defaultInterface()
                + " unless none; MTU is its first member's, or "
                + net.defaultMtu()
                + " without members)");
      }
      lines.add("ifconfig epair create (prints the new epairNa)");
      interfaceCommands(name, JID, i, "epairNa", mtu, net, fib)
          .forEach(argv -> lines.add(Command.of(argv).display()));
    }
    for (boolean inet6 : new boolean[] {false, true}) {
      Router router = inet6 ? net.router6() : net.router4();
      if (router.kind() != Router.Kind.NONE && hasAddresses(net, inet6)) {
        String gw = router.address().orElse("GATEWAY");
        if (router.kind() == Router.Kind.AUTO) {
          lines.add(Command.of(routeGetDefault(inet6)).display() + " (GATEWAY)");
        }
        lines.add(Command.of(routeAdd(name, net, inet6, gw, fib)).display());
      }
    }
    return lines;
  }

  /** {@code ifconfig vnetN.JID destroy} for each interface {@link #up} makes. */
  public List<List<String>> downCommands(JailNetwork net, String jid) {
    return configured(net).stream()
        .map(i -> List.of("ifconfig", hostSide(i, jid), "destroy"))
        .toList();
  }

  /**
   * The IPv4 address and prefix the first interface leased, checked as iocage does after start
   * ({@code jexec NAME ifconfig vnet0 inet}); fails when there is none or it is 0.0.0.0.
   */
  public String dhcpLease(JailName name, JailNetwork net, int fib)
      throws IOException, InterruptedException {
    String nic = net.interfaces().get(0).name();
    Command command = Command.of(inJail(name, fib, List.of("ifconfig", nic, "inet")));
    CommandResult r = runner.run(command);
    Optional<String> lease = r.ok() ? Ifconfig.firstInet(r.stdout()) : Optional.empty();
    if (lease.isEmpty() || lease.get().startsWith("0.0.0.0/")) {
      throw new IOException(
          "expected "
              + nic
              + " of "
              + name
              + " to have a DHCP lease after start; '"
              + command.display()
              + "' found "
              + lease.orElse("no IPv4 address")
              + (r.ok() ? "" : " (exit status " + r.exitCode() + ": " + r.stderr().strip() + ")"));
    }
    return lease.get();
  }

  /** {@code jexec NAME dhcp check}, for plans. */
  public String describeDhcpLease(JailName name, JailNetwork net, int fib) {
    return Command.of(
                inJail(name, fib, List.of("ifconfig", net.interfaces().get(0).name(), "inet")))
            .display()
        + " (expects a DHCP lease, not 0.0.0.0)";
  }

  /** The running jail's own addresses: IPv4 first, no loopback, no IPv6 link-local. */
  public List<String> addresses(JailName name) throws IOException, InterruptedException {
    return Ifconfig.addresses(runner.check(Command.of("jexec", name.value(), "ifconfig")).stdout());
  }

  /** The interfaces iocage configures: those with addresses, all of them with DHCP. */
  private static List<VnetInterface> configured(JailNetwork net) {
    return net.interfaces().stream()
        .filter(i -> net.dhcp() || !i.ipv4().isEmpty() || !i.ipv6().isEmpty() || i.acceptRtadv())
        .toList();
  }

  private static boolean hasAddresses(JailNetwork net, boolean inet6) {
    return configured(net).stream().anyMatch(i -> !(inet6 ? i.ipv6() : i.ipv4()).isEmpty());
  }

  private static String hostSide(VnetInterface i, String jid) {
    return i.name() + "." + jid;
  }

  /**
   * The bridge's MTU source: creates the bridge when missing (remembered in {@code created}) with
   * the default interface as member, then asks its first member; vnet_default_mtu without one.
   */
  private String bridgeMtu(String bridge, JailNetwork net, Teardown created)
      throws IOException, InterruptedException {
    CommandResult shown = runner.run(Command.of("ifconfig", bridge));
    List<String> members;
    if (shown.ok()) {
      members = Ifconfig.bridgeMembers(shown.stdout());
    } else {
      runner.check(Command.of("ifconfig", bridge, "create"));
      created.add(List.of("ifconfig", bridge, "destroy"));
      members = new ArrayList<>();
      Optional<String> member = memberOfNewBridge(net);
      if (member.isPresent()) {
        runner.check(Command.of("ifconfig", bridge, "addm", member.get()));
        members.add(member.get());
      }
    }
    if (members.isEmpty()) {
      return Integer.toString(net.defaultMtu());
    }
    String out = runner.check(Command.of("ifconfig", members.get(0))).stdout();
    return Integer.toString(
        Ifconfig.mtu(out)
            .orElseThrow(
                () ->
                    new IOException(
                        "expected 'ifconfig "
                            + members.get(0)
                            + "' to show an mtu on its first line; found '"
                            + out.lines().findFirst().orElse("")
                            + "'")));
  }

  private Optional<String> memberOfNewBridge(JailNetwork net)
      throws IOException, InterruptedException {
    return switch (net.defaultInterface()) {
      case "none" -> Optional.empty();
      case "auto" -> {
        Optional<String> iface = defaultInterface();
        if (iface.isEmpty()) {
          throw new IOException(
              "vnet_default_interface is auto, but the host has no default route to take the"
                  + " interface from ('route -n get default' found none); set"
                  + " vnet_default_interface to an interface such as em0, or none");
        }
        yield iface;
      }
      default -> Optional.of(net.defaultInterface());
    };
  }

  /**
   * One interface's commands after {@code ifconfig epair create} printed {@code epairA}: the host
   * side renamed (first: it is then known by its new name), given its MAC and a description; the
   * jail side moved into the jail, renamed there and given its MAC and MTU; the host side joined to
   * the bridge (NAT: given the gateway) and up; then the jail's static addresses.
   */
  private static List<List<String>> interfaceCommands(
      JailName name,
      String jid,
      VnetInterface i,
      String epairA,
      String mtu,
      JailNetwork net,
      int fib) {
    String host = hostSide(i, jid);
    String epairB = epairA.substring(0, epairA.length() - 1) + "b";
    List<List<String>> c = new ArrayList<>();
    c.add(List.of("ifconfig", epairA, "name", host, "mtu", mtu));
    c.add(List.of("ifconfig", host, "link", i.macs().host().colons()));
    c.add(
        List.of(
            "ifconfig",
            host,
            "description",
            "associated with jail: " + name.value() + " as nic: " + i.name()));
    if (i.acceptRtadv()) {
      c.add(List.of("ifconfig", host, "inet6", "auto_linklocal", "accept_rtadv", "autoconf"));
    }
    c.add(List.of("ifconfig", epairB, "vnet", name.value()));
    c.add(inJail(name, fib, List.of("ifconfig", epairB, "name", i.name())));
    c.add(inJail(name, fib, List.of("ifconfig", i.name(), "link", i.macs().jail().colons())));
    c.add(inJail(name, fib, List.of("ifconfig", i.name(), "mtu", mtu, "up")));
    Optional<Nat> nat = net.nat();
    if (nat.isPresent()) {
      c.add(List.of("ifconfig", host, "inet", nat.get().gateway() + "/" + Nat.PREFIX));
    } else {
      c.add(List.of("ifconfig", i.bridge(), "addm", host, "up"));
    }
    c.add(List.of("ifconfig", host, "up"));
    for (String a : i.ipv4()) {
      c.add(inJail(name, fib, List.of("ifconfig", i.name(), "inet", a, "alias")));
    }
    for (String a : i.ipv6()) {
      c.add(inJail(name, fib, List.of("ifconfig", i.name(), "inet6", a)));
    }
    return c;
  }

  /**
   * {@code jexec NAME route add [-6] default GATEWAY}; an IPv6 link-local gateway's scope (the
   * host's interface, e.g. {@code %em0}) becomes the jail's first IPv6 interface, as iocage.
   */
  private static List<String> routeAdd(
      JailName name, JailNetwork net, boolean inet6, String gateway, int fib) {
    List<String> argv = new ArrayList<>(List.of("route", "add"));
    String gw = gateway;
    if (inet6) {
      argv.add("-6");
      int scope = gateway.indexOf('%');
      if (scope >= 0) {
        String nic =
            configured(net).stream()
                .filter(i -> !i.ipv6().isEmpty())
                .map(VnetInterface::name)
                .findFirst()
                .orElse("vnet0");
        gw = gateway.substring(0, scope) + "%" + nic;
      }
    }
    argv.add("default");
    argv.add(gw);
    return inJail(name, fib, argv);
  }

  /** {@code [setfib FIB] jexec NAME ARGV...}: iocage runs jail-side commands under exec_fib. */
  static List<String> inJail(JailName name, int fib, List<String> argv) {
    List<String> out = new ArrayList<>();
    if (fib != 0) {
      out.add("setfib");
      out.add(Integer.toString(fib));
    }
    out.add("jexec");
    out.add(name.value());
    out.addAll(argv);
    return List.copyOf(out);
  }
}
