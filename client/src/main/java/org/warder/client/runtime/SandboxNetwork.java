package org.warder.client.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandResult;
import org.warder.client.exec.CommandRunner;
import org.warder.client.net.JailNetwork;
import org.warder.client.net.Nat;
import org.warder.client.net.Router;
import org.warder.client.net.VnetInterface;

/**
 * A vnet sandbox's network, made with Linux's tools from outside the sandbox (its processes never
 * get CAP_NET_ADMIN): per vnet interface a veth pair whose host side {@code vnetN.PID} (FreeBSD's
 * {@code vnetN.JID}) joins its bridge in the {@link HostNetns} and whose peer is created inside the
 * sandbox's network namespace as {@code vnetN}, with iocage's MACs and the bridge member's MTU; the
 * static addresses and default routes set inside with {@code nsenter -t PID -n ip}; DHCP by
 * busybox's {@code udhcpc}, run by warder in the sandbox's network namespace only (the jail's own
 * dhclient runs from rc.conf on FreeBSD; a Linux sandbox has no such client and no right to
 * configure itself); and NAT in the host namespace's nftables table {@code ip warder}. Thread-safe
 * as far as the host's tools are.
 */
final class SandboxNetwork {
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);

  /** udhcpc: 5 discovers a second apart, then give up. */
  private static final Duration DHCP_TIMEOUT = Duration.ofSeconds(30);

  private static final Pattern MTU = Pattern.compile(" mtu (\\d+) ");
  private static final Pattern ROUTE_VIA = Pattern.compile("^default via (\\S+)");
  private static final Pattern ROUTE_DEV = Pattern.compile("^default .*\\bdev (\\S+)");

  private final CommandRunner runner;
  private final ProcessTable processes;
  private final HostNetns host;
  private final Path forwardingRecord;

  /**
   * @param stateDir where the host namespace's forwarding setting is kept while NAT jails run
   */
  SandboxNetwork(CommandRunner runner, ProcessTable processes, HostNetns host, Path stateDir) {
    this.runner = runner;
    this.processes = processes;
    this.host = host;
    this.forwardingRecord =
        stateDir.resolve("sandbox-ip-forward." + host.name().orElse("host") + ".saved");
  }

  /** The namespace that plays the host. */
  HostNetns host() {
    return host;
  }

  /**
   * Configures the network of {@code spec}, whose sandbox runs with host pid {@code pid}; on any
   * failure removes what it made (the bridges it created included) before throwing.
   */
  void configure(RuntimeSpec spec, long pid) throws IOException, InterruptedException {
    JailNetwork net = spec.network();
    List<String> createdBridges = new ArrayList<>();
    try {
      for (VnetInterface vnet : net.interfaces()) {
        boolean natLink = net.nat().isPresent() && vnet.name().equals("vnet0");
        String hostSide = hostSide(vnet, pid);
        int mtu;
        if (natLink) {
          mtu = vnet.mtu().orElse(net.defaultMtu());
        } else {
          if (!exists(vnet.bridge())) {
            createBridge(vnet.bridge(), net.defaultInterface());
            createdBridges.add(vnet.bridge());
          }
          mtu = vnet.mtu().orElse(memberMtu(vnet.bridge()).orElse(net.defaultMtu()));
        }
        hostIp(vethPair(vnet, hostSide, Integer.toString(mtu), Long.toString(pid)));
        if (natLink) {
          hostIp("addr", "add", net.nat().get().gateway() + "/" + Nat.PREFIX, "dev", hostSide);
        } else {
          hostIp("link", "set", hostSide, "master", vnet.bridge());
        }
        hostIp("link", "set", hostSide, "up");
        jailIp(pid, "link", "set", vnet.name(), "up");
        for (String a : vnet.ipv4()) {
          jailIp(pid, "-4", "addr", "add", withPrefix(a, 24), "dev", vnet.name());
        }
        if (vnet.acceptRtadv()) {
          runInJail(pid, List.of("sysctl", "-w", "net.ipv6.conf." + vnet.name() + ".accept_ra=2"));
        }
        for (String a : vnet.ipv6()) {
          jailIp(pid, "-6", "addr", "add", withPrefix(a, 64), "dev", vnet.name());
        }
        if (net.dhcp()) {
          lease(spec, pid, vnet.name());
        }
      }
      route(pid, "-4", net.router4());
      route(pid, "-6", net.router6());
    } catch (IOException | InterruptedException | RuntimeException e) {
      release(spec.jailDir(), pid);
      for (String bridge : createdBridges) {
        runner.run(tool(host.ip("link", "del", bridge)));
      }
      throw e;
    }
  }

  /** What {@link #configure} runs for {@code spec}, PID standing for the sandbox's pid. */
  List<String> describe(RuntimeSpec spec) {
    JailNetwork net = spec.network();
    List<String> lines = new ArrayList<>();
    for (VnetInterface vnet : net.interfaces()) {
      String hostSide = vnet.name() + ".PID";
      boolean natLink = net.nat().isPresent() && vnet.name().equals("vnet0");
      if (!natLink) {
        lines.add(
            "unless bridge "
                + vnet.bridge()
                + " exists: "
                + String.join(" ", host.ip("link", "add", vnet.bridge(), "type", "bridge"))
                + (member(net.defaultInterface()).isPresent()
                    ? ", with member " + net.defaultInterface()
                    : ""));
      }
      lines.add(
          String.join(
              " ",
              host.ip(
                  vethPair(
                      vnet,
                      hostSide,
                      vnet.mtu().isPresent() ? Integer.toString(vnet.mtu().getAsInt()) : "MTU",
                      "PID"))));
      lines.add(
          String.join(
              " ",
              natLink
                  ? host.ip(
                      "addr", "add", net.nat().get().gateway() + "/" + Nat.PREFIX, "dev", hostSide)
                  : host.ip("link", "set", hostSide, "master", vnet.bridge())));
      for (String a : vnet.ipv4()) {
        lines.add("nsenter -t PID -n ip -4 addr add " + withPrefix(a, 24) + " dev " + vnet.name());
      }
      for (String a : vnet.ipv6()) {
        lines.add("nsenter -t PID -n ip -6 addr add " + withPrefix(a, 64) + " dev " + vnet.name());
      }
      if (net.dhcp()) {
        lines.add(
            Command.of(udhcpc(spec, vnet.name(), "PID")).display()
                + " (start fails without a lease)");
      }
    }
    net.router4()
        .address()
        .ifPresent(r -> lines.add("nsenter -t PID -n ip -4 route add default via " + r));
    net.router6()
        .address()
        .ifPresent(r -> lines.add("nsenter -t PID -n ip -6 route add default via " + r));
    return lines;
  }

  /**
   * Removes what {@link #configure} made for the sandbox with pid {@code pid}: its udhcpc clients
   * and the host sides of its veth pairs (the peers go with them). Bridges stay, as iocage leaves
   * them. Idempotent.
   */
  void release(Path jailDir, long pid) throws IOException, InterruptedException {
    stopClients(jailDir);
    CommandResult links = runner.run(tool(host.ip("-o", "link", "show", "type", "veth")));
    Pattern ours = Pattern.compile("^\\d+: (vnet\\d\\." + pid + ")[@:]");
    for (String line : links.stdout().lines().toList()) {
      Matcher m = ours.matcher(line);
      if (m.find()) {
        runner.check(tool(host.ip("link", "del", m.group(1))));
      }
    }
  }

  /**
   * The addresses on the interfaces of the network namespace of {@code pid}, IPv4 first, loopback
   * and IPv6 link-local ones left out, without prefix lengths.
   */
  List<String> addresses(long pid) throws IOException, InterruptedException {
    String out = runner.check(tool(inJail(pid, List.of("ip", "-o", "addr", "show")))).stdout();
    List<String> v4 = new ArrayList<>();
    List<String> v6 = new ArrayList<>();
    for (String line : out.lines().toList()) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 4 || f[1].equals("lo")) {
        continue;
      }
      String address = f[3].split("/")[0];
      if (f[2].equals("inet")) {
        v4.add(address);
      } else if (f[2].equals("inet6")
          && !address.toLowerCase(java.util.Locale.ROOT).startsWith("fe80:")) {
        v6.add(address);
      }
    }
    v4.addAll(v6);
    return v4;
  }

  /**
   * Makes table {@code ip warder} in the host namespace hold the NAT of {@code natJails},
   * forwarding on while any is left; with none, deletes the table and sets forwarding back to what
   * it was before the first NAT jail.
   */
  void updateNat(List<JailNetwork> natJails) throws IOException, InterruptedException {
    List<NatRuleset.Entry> entries = new ArrayList<>();
    for (JailNetwork j : natJails) {
      Nat nat = j.nat().orElseThrow(() -> new IllegalArgumentException(j.jail() + " has no NAT"));
      entries.add(
          new NatRuleset.Entry(
              nat,
              nat.hostInterface().isPresent() ? nat.hostInterface().get() : defaultInterface()));
    }
    if (!entries.isEmpty() && !Files.exists(forwardingRecord)) {
      String before =
          runner
              .check(tool(host.run(List.of("sysctl", "-n", "net.ipv4.ip_forward"))))
              .stdout()
              .strip();
      writeAtomically(forwardingRecord, before + "\n");
    }
    Path file = Files.createTempFile("warder-nat", ".nft");
    try {
      Files.writeString(file, NatRuleset.of(entries));
      runner.check(tool(host.run(List.of("nft", "-f", file.toString()))));
    } finally {
      Files.deleteIfExists(file);
    }
    if (!entries.isEmpty()) {
      runner.check(tool(host.run(List.of("sysctl", "-w", "net.ipv4.ip_forward=1"))));
    } else if (Files.exists(forwardingRecord)) {
      String before = Files.readString(forwardingRecord).strip();
      if (!before.matches("[01]")) {
        throw new IOException(
            "expected 0 or 1 in "
                + forwardingRecord
                + ", found '"
                + before
                + "'; set net.ipv4.ip_forward yourself and delete the file");
      }
      runner.check(tool(host.run(List.of("sysctl", "-w", "net.ipv4.ip_forward=" + before))));
      Files.delete(forwardingRecord);
    }
  }

  /** What {@link #updateNat} runs for {@code natJails}. */
  List<String> describeNat(List<JailNetwork> natJails) {
    List<String> lines = new ArrayList<>();
    List<NatRuleset.Entry> entries = new ArrayList<>();
    for (JailNetwork j : natJails) {
      j.nat()
          .ifPresent(
              n ->
                  entries.add(
                      new NatRuleset.Entry(
                          n, n.hostInterface().orElse("DEFAULT-ROUTE-INTERFACE"))));
    }
    lines.add(
        String.join(" ", host.run(List.of("nft", "-f", "FILE")))
            + ", FILE: "
            + NatRuleset.of(entries).replace("\n", " "));
    lines.add(
        String.join(
            " ",
            host.run(
                List.of(
                    "sysctl",
                    "-w",
                    "net.ipv4.ip_forward="
                        + (entries.isEmpty() ? "(its value before the first NAT jail)" : "1")))));
    return lines;
  }

  private void createBridge(String bridge, String defaultInterface)
      throws IOException, InterruptedException {
    hostIp("link", "add", bridge, "type", "bridge", "forward_delay", "0");
    Optional<String> member = member(defaultInterface);
    if (member.isPresent()) {
      hostIp("link", "set", member.get(), "master", bridge);
    }
    hostIp("link", "set", bridge, "up");
  }

  /**
   * The interface a new bridge gets as its member: {@code vnet_default_interface} when it names
   * one. {@code auto} means none here, unlike iocage: on FreeBSD the default route's interface
   * keeps working as a bridge member, but on Linux a bridged interface loses its own addresses'
   * traffic, so enslaving it would cut the host off its network.
   */
  private static Optional<String> member(String defaultInterface) {
    return defaultInterface.equals("auto") || defaultInterface.equals("none")
        ? Optional.empty()
        : Optional.of(defaultInterface);
  }

  private boolean exists(String link) throws IOException, InterruptedException {
    return runner.run(tool(host.ip("-o", "link", "show", "dev", link))).ok();
  }

  /** The MTU of the bridge's first member, if it has one. */
  private OptionalInt memberMtu(String bridge) throws IOException, InterruptedException {
    String out = runner.check(tool(host.ip("-o", "link", "show", "master", bridge))).stdout();
    return out.lines()
        .map(MTU::matcher)
        .filter(Matcher::find)
        .mapToInt(m -> Integer.parseInt(m.group(1)))
        .findFirst();
  }

  /** The host namespace's IPv4 or IPv6 default route's gateway or interface. */
  private Optional<String> defaultRoute(String family, Pattern part)
      throws IOException, InterruptedException {
    String out = runner.check(tool(host.ip(family, "route", "show", "default"))).stdout();
    return out.lines().map(part::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst();
  }

  private String defaultInterface() throws IOException, InterruptedException {
    return defaultRoute("-4", ROUTE_DEV)
        .orElseThrow(
            () ->
                new IOException(
                    "expected a default route in "
                        + host.describe()
                        + " to find the NAT interface, found none; set nat_interface, e.g."
                        + " 'warder set nat_interface=eth0 NAME'"));
  }

  private void route(long pid, String family, Router router)
      throws IOException, InterruptedException {
    Optional<String> via =
        switch (router.kind()) {
          case ADDRESS -> router.address();
          case AUTO -> defaultRoute(family, ROUTE_VIA); // none when the host has none
          case NONE -> Optional.empty();
        };
    if (via.isPresent()) {
      jailIp(pid, family, "route", "add", "default", "via", via.get());
    }
  }

  /**
   * Runs udhcpc in the sandbox's network namespace until it has a lease for {@code nic}; it then
   * stays there as a daemon that renews it, its pid in the jail's directory.
   */
  private void lease(RuntimeSpec spec, long pid, String nic)
      throws IOException, InterruptedException {
    Path script = spec.jailDir().resolve("udhcpc." + nic + ".sh");
    writeAtomically(script, DhcpScript.text(spec.jailDir().resolve("udhcpc." + nic + ".lease")));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    Path log = spec.jailDir().resolve("udhcpc." + nic + ".log");
    CommandResult result =
        runner.run(
            Command.of(udhcpc(spec, nic, Long.toString(pid)))
                .withTimeout(DHCP_TIMEOUT)
                .withOutputLog(log));
    if (!result.ok()) {
      throw new IOException(
          "expected a DHCP lease for "
              + nic
              + " of jail "
              + spec.name()
              + " within 5 s, found none (udhcpc exited with "
              + result.exitCode()
              + "; see "
              + log
              + "); check that a DHCP server answers on bridge "
              + spec.network().interfaces().stream()
                  .filter(i -> i.name().equals(nic))
                  .map(VnetInterface::bridge)
                  .findFirst()
                  .orElse("?")
              + ", or give the jail a static ip4_addr with dhcp=0");
    }
  }

  private static List<String> udhcpc(RuntimeSpec spec, String nic, String pid) {
    Path dir = spec.jailDir();
    return List.of(
        "nsenter",
        "-t",
        pid,
        "-n",
        "--",
        "busybox",
        "udhcpc",
        "-i",
        nic,
        "-n",
        "-t",
        "5",
        "-T",
        "1",
        "-x",
        "hostname:" + spec.hostname(),
        "-s",
        dir.resolve("udhcpc." + nic + ".sh").toString(),
        "-p",
        dir.resolve("udhcpc." + nic + ".pid").toString());
  }

  /**
   * Stops the udhcpc clients whose pid files are in {@code jailDir}: a client left by a sandbox
   * that ended without warder would hold its network namespace, and with it the veth pair, forever.
   */
  void stopClients(Path jailDir) throws IOException, InterruptedException {
    if (Files.isDirectory(jailDir)) {
      try (DirectoryStream<Path> pidFiles = Files.newDirectoryStream(jailDir, "udhcpc.*.pid")) {
        for (Path pidFile : pidFiles) {
          stopClient(pidFile);
        }
      }
    }
  }

  /** Stops the udhcpc whose pid {@code pidFile} holds, if it is still that udhcpc. */
  private void stopClient(Path pidFile) throws IOException, InterruptedException {
    String content = Files.readString(pidFile).strip();
    if (content.matches("\\d{1,10}")) {
      long pid = Long.parseLong(content);
      List<String> cmdline = processes.commandLine(pid);
      if (cmdline.contains("udhcpc") && cmdline.contains(pidFile.toString())) {
        processes.kill(pid, Duration.ofSeconds(5));
      }
    }
    Files.deleteIfExists(pidFile);
  }

  /**
   * The {@code ip link add} arguments of {@code vnet}'s pair: host side {@code hostSide}, the peer
   * made in the network namespace of {@code pid} under the jail-side name.
   */
  private static String[] vethPair(VnetInterface vnet, String hostSide, String mtu, String pid) {
    return new String[] {
      "link",
      "add",
      hostSide,
      "address",
      vnet.macs().host().colons(),
      "mtu",
      mtu,
      "type",
      "veth",
      "peer",
      "name",
      vnet.name(),
      "address",
      vnet.macs().jail().colons(),
      "mtu",
      mtu,
      "netns",
      pid
    };
  }

  private void hostIp(String... args) throws IOException, InterruptedException {
    runner.check(tool(host.ip(args)));
  }

  private void jailIp(long pid, String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("ip"));
    argv.addAll(List.of(args));
    runInJail(pid, argv);
  }

  private void runInJail(long pid, List<String> argv) throws IOException, InterruptedException {
    runner.check(tool(inJail(pid, argv)));
  }

  /** {@code argv} (a host tool) run in the network namespace of {@code pid}, and only there. */
  private static List<String> inJail(long pid, List<String> argv) {
    List<String> full = new ArrayList<>(List.of("nsenter", "-t", Long.toString(pid), "-n", "--"));
    full.addAll(argv);
    return full;
  }

  private static Command tool(List<String> argv) {
    return Command.of(argv).withTimeout(TOOL_TIMEOUT);
  }

  private static String hostSide(VnetInterface vnet, long pid) {
    return vnet.name() + "." + pid;
  }

  /**
   * {@code address} with a prefix length: an address without one gets {@code prefix} (FreeBSD's
   * ifconfig would take the classful mask; /24 and /64 are what such a jail means today).
   */
  private static String withPrefix(String address, int prefix) {
    return address.contains("/") ? address : address + "/" + prefix;
  }

  private static void writeAtomically(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
