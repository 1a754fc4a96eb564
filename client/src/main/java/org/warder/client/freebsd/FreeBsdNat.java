package org.warder.client.freebsd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandResult;
import org.warder.client.exec.CommandRunner;
import org.warder.client.net.JailNetwork;
import org.warder.client.net.Nat;
import org.warder.signing.AtomicFiles;

/**
 * The host's NAT for the running NAT jails, with ipfw or pf as each jail's nat_backend says:
 * forwarding switched on (its earlier value remembered, and set back when the last NAT jail stops),
 * the firewall loaded as iocage does, and warder's rules replaced as a whole in an ipfw set or pf
 * anchor of warder's own; the administrator's rules are never touched.
 *
 * <p>What was there before lives in {@code DIR/state} (forwarding's value, the backends warder
 * loaded rules into) with the host's boot time: after a reboot the kernel has forgotten warder's
 * rules and forwarding is what rc.conf says again, so a state file from an earlier boot is stale
 * and ignored. pf's rules are written to {@code DIR/pf-nat.conf}. Not thread-safe: the lifecycle
 * runs one start or stop at a time.
 */
public final class FreeBsdNat {
  private static final String FORWARDING = "net.inet.ip.forwarding";

  private final CommandRunner runner;
  private final FreeBsdNetwork network;
  private final Path dir;

  public FreeBsdNat(CommandRunner runner, Path dir) {
    this.runner = runner;
    this.network = new FreeBsdNetwork(runner);
    this.dir = dir;
  }

  /** The file pf's anchor is loaded from. */
  public Path pfRules() {
    return dir.resolve("pf-nat.conf");
  }

  /** Makes the host's NAT exactly that of {@code natJails}; see the class comment. */
  public void update(List<JailNetwork> natJails) throws IOException, InterruptedException {
    String boot = check(List.of("sysctl", "-n", "kern.boottime")).stdout().strip();
    Optional<Properties> stored = state(boot);
    if (natJails.isEmpty() && stored.isEmpty()) {
      return; // no rules of warder's since this boot
    }
    List<NatJail> resolved = resolve(natJails);
    List<NatJail> ipfw = backend(resolved, Nat.Backend.IPFW);
    List<NatJail> pf = backend(resolved, Nat.Backend.PF);
    Optional<String> ipfwIface = ipfwInterface(ipfw);
    if (!pf.isEmpty()) {
      check(PfNat.load());
      if (!PfNat.anchored(check(PfNat.showNat()).stdout())) {
        throw new IOException(PfNat.notAnchored());
      }
    }
    Properties state = stored.orElseGet(Properties::new);
    if (stored.isEmpty()) {
      state.setProperty("boot", boot);
      state.setProperty(FORWARDING, check(List.of("sysctl", "-n", FORWARDING)).stdout().strip());
      state.setProperty("backends", "");
      save(state);
    }
    Set<String> loaded = new TreeSet<>(List.of(state.getProperty("backends").split(",")));
    loaded.remove("");
    if (!natJails.isEmpty()) {
      check(List.of("sysctl", "-q", FORWARDING + "=1"));
    }
    if (!ipfw.isEmpty()) {
      loaded.add("ipfw");
      save(with(state, loaded));
      loadIpfw(ipfwIface.orElseThrow(), ipfw);
    } else if (loaded.remove("ipfw")) {
      runner.run(Command.of(IpfwNat.deleteSet()));
      runner.run(Command.of(IpfwNat.deleteInstance()));
      save(with(state, loaded));
    }
    if (!pf.isEmpty()) {
      loaded.add("pf");
      save(with(state, loaded));
      loadPf(pf);
    } else if (loaded.remove("pf")) {
      check(PfNat.flushAnchor());
      save(with(state, loaded));
    }
    if (natJails.isEmpty()) {
      check(List.of("sysctl", "-q", FORWARDING + "=" + state.getProperty(FORWARDING)));
      Files.deleteIfExists(dir.resolve("state"));
    }
  }

  /** What {@link #update} does, one line each; runs nothing. */
  public List<String> describe(List<JailNetwork> natJails) {
    List<String> lines = new ArrayList<>();
    if (natJails.isEmpty()) {
      lines.add(
          "when warder loaded NAT rules since boot: "
              + Command.of(IpfwNat.deleteSet()).display()
              + ", "
              + Command.of(IpfwNat.deleteInstance()).display()
              + " (ipfw) or "
              + Command.of(PfNat.flushAnchor()).display()
              + " (pf), then "
              + FORWARDING
              + " set back to its value before the first NAT jail");
      return lines;
    }
    lines.add(
        "sysctl -n "
            + FORWARDING
            + " (remembered in "
            + dir.resolve("state")
            + "), then sysctl -q "
            + FORWARDING
            + "=1");
    List<NatJail> ipfw = new ArrayList<>();
    List<NatJail> pf = new ArrayList<>();
    for (JailNetwork j : natJails) {
      Nat nat = j.nat().orElseThrow();
      NatJail named = new NatJail(nat.hostInterface().orElse("DEFAULT_IFACE"), nat);
      (nat.backend() == Nat.Backend.PF ? pf : ipfw).add(named);
    }
    if (nat(natJails, Nat.Backend.IPFW)) {
      String iface = ipfw.get(0).iface();
      lines.add(
          Command.of(IpfwNat.enable()).display()
              + " (when ipfw is not loaded: "
              + String.join(
                  "; ", IpfwNat.load().stream().map(a -> Command.of(a).display()).toList())
              + ")");
      lines.add(Command.of(IpfwNat.loadNat()).display());
      lines.add(Command.of(IpfwNat.offloadsOff(iface)).display());
      lines.add(Command.of(IpfwNat.deleteSet()).display());
      IpfwNat.rules(iface, ipfw).forEach(a -> lines.add(Command.of(a).display()));
    }
    if (nat(natJails, Nat.Backend.PF)) {
      lines.add(Command.of(PfNat.load()).display());
      lines.add(
          Command.of(PfNat.showNat()).display()
              + " (refused unless it lists "
              + String.join(" and ", PfNat.PF_CONF_LINES)
              + ")");
      lines.add(Command.of(PfNat.enable()).display());
      lines.add("write " + pfRules() + ":\n" + PfNat.rules(pf).strip());
      lines.add(Command.of(PfNat.loadAnchor(pfRules())).display());
    }
    if (lines.stream().anyMatch(l -> l.contains("DEFAULT_IFACE"))) {
      lines.add(0, "route -n get default (DEFAULT_IFACE: the interface NAT leaves by)");
    }
    return lines;
  }

  private static boolean nat(List<JailNetwork> jails, Nat.Backend backend) {
    return jails.stream().anyMatch(j -> j.nat().orElseThrow().backend() == backend);
  }

  private static List<NatJail> backend(List<NatJail> jails, Nat.Backend backend) {
    return jails.stream().filter(j -> j.nat().backend() == backend).toList();
  }

  /** The jails, each with the host interface its traffic leaves by. */
  private List<NatJail> resolve(List<JailNetwork> natJails)
      throws IOException, InterruptedException {
    List<NatJail> out = new ArrayList<>();
    Optional<String> fallback = Optional.empty();
    for (JailNetwork j : natJails) {
      Nat nat =
          j.nat().orElseThrow(() -> new IllegalArgumentException(j.jail() + " is not a NAT jail"));
      Optional<String> iface = nat.hostInterface();
      if (iface.isEmpty()) {
        if (fallback.isEmpty()) {
          fallback = network.defaultInterface();
        }
        iface = fallback;
      }
      if (iface.isEmpty()) {
        throw new IOException(
            "NAT jail "
                + j.jail()
                + " has nat_interface=none, meaning the default route's interface, but the host"
                + " has no default route ('route -n get default' found none); set nat_interface"
                + " to the interface NAT leaves by, e.g. 'warder set nat_interface=em0 "
                + j.jail()
                + "'");
      }
      out.add(new NatJail(iface.get(), nat));
    }
    return out;
  }

  /** The one interface the ipfw jails share: one NAT instance translates for one interface. */
  private static Optional<String> ipfwInterface(List<NatJail> ipfw) throws IOException {
    Set<String> ifaces = new LinkedHashSet<>();
    ipfw.forEach(j -> ifaces.add(j.iface()));
    if (ifaces.size() > 1) {
      throw new IOException(
          "expected the NAT jails with nat_backend=ipfw to leave by one interface, found "
              + String.join(", ", ifaces)
              + ": warder's one ipfw NAT instance ("
              + IpfwNat.INSTANCE
              + ") translates for one interface; give them the same nat_interface, or use"
              + " nat_backend=pf for the others");
    }
    return ifaces.stream().findFirst();
  }

  private void loadIpfw(String iface, List<NatJail> jails)
      throws IOException, InterruptedException {
    if (!runner.run(Command.of(IpfwNat.enable())).ok()) {
      for (List<String> argv : IpfwNat.load()) {
        check(argv);
      }
    } else {
      check(IpfwNat.loadNat());
    }
    check(IpfwNat.offloadsOff(iface));
    runner.run(Command.of(IpfwNat.deleteSet())); // fails harmlessly while the set is empty
    for (List<String> argv : IpfwNat.rules(iface, jails)) {
      check(argv);
    }
  }

  private void loadPf(List<NatJail> jails) throws IOException, InterruptedException {
    CommandResult enabled = runner.run(Command.of(PfNat.enable()));
    if (!enabled.ok() && !enabled.stderr().contains("already enabled")) {
      throw new IOException(
          "'pfctl -e' exited with status " + enabled.exitCode() + ": " + enabled.stderr().strip());
    }
    Files.createDirectories(dir);
    AtomicFiles.write(pfRules(), PfNat.rules(jails).getBytes(StandardCharsets.UTF_8));
    check(PfNat.loadAnchor(pfRules()));
  }

  /** The stored state when it is from this boot. */
  private Optional<Properties> state(String boot) throws IOException {
    Path file = dir.resolve("state");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    boolean complete =
        p.getProperty(FORWARDING, "").matches("[0-9]+") && p.getProperty("backends") != null;
    return complete && boot.equals(p.getProperty("boot")) ? Optional.of(p) : Optional.empty();
  }

  private static Properties with(Properties state, Set<String> backends) {
    state.setProperty("backends", String.join(",", backends));
    return state;
  }

  private void save(Properties state) throws IOException {
    Files.createDirectories(dir);
    StringBuilder text = new StringBuilder("# warder's NAT state; removed when no NAT jail runs\n");
    for (String key : new TreeSet<>(state.stringPropertyNames())) {
      text.append(key).append('=').append(state.getProperty(key)).append('\n');
    }
    AtomicFiles.write(dir.resolve("state"), text.toString().getBytes(StandardCharsets.UTF_8));
  }

  private CommandResult check(List<String> argv) throws IOException, InterruptedException {
    return runner.check(Command.of(argv));
  }
}
