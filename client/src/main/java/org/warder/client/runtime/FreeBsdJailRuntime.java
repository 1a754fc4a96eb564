package org.warder.client.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandResult;
import org.warder.client.exec.CommandRunner;
import org.warder.client.freebsd.FreeBsdCommands;
import org.warder.client.freebsd.FreeBsdInputException;
import org.warder.client.freebsd.FreeBsdNat;
import org.warder.client.freebsd.FreeBsdNetwork;
import org.warder.client.freebsd.JailConf;
import org.warder.client.freebsd.Jls;
import org.warder.client.freebsd.RunningJail;
import org.warder.client.freebsd.Teardown;
import org.warder.client.jail.props.JailName;
import org.warder.client.net.JailNetwork;
import org.warder.signing.AtomicFiles;

/**
 * The FreeBSD runtime: jail(8) with a generated jail.conf ({@code jail -f FILE -c NAME}), the
 * jail's own devfs ruleset rebuilt first when it has one, {@code jexec} to enter, {@code jls} to
 * find running jails. A vnet jail's interfaces, addresses and routes are made after {@code jail -c}
 * ({@link FreeBsdNetwork}), then its exec_start runs; anything failing after {@code jail -c}
 * removes the jail and every interface made for it. NAT rules are {@link FreeBsdNat}'s.
 * Thread-safe.
 */
public final class FreeBsdJailRuntime implements JailRuntime {
  private final CommandRunner runner;
  private final FreeBsdNetwork network;
  private final FreeBsdNat nat;

  /**
   * A runtime running host commands with {@code runner}, keeping its NAT state (forwarding's
   * earlier value, pf's rule file) under {@code warderRoot}/nat.
   */
  public FreeBsdJailRuntime(CommandRunner runner, Path warderRoot) {
    this.runner = runner;
    this.network = new FreeBsdNetwork(runner);
    this.nat = new FreeBsdNat(runner, warderRoot.resolve("nat"));
  }

  @Override
  public void start(RuntimeSpec spec) throws IOException, InterruptedException {
    if (jid(spec.name()).isPresent()) {
      throw new IOException("jail " + spec.name() + " is already running; stop it first");
    }
    ConsoleLog.prepare(spec.consoleLog()); // jail(8) opens it by name, following links
    Map<String, String> parameters = new LinkedHashMap<>(spec.jailParameters());
    for (String family : new String[] {"ip4.addr", "ip6.addr"}) {
      String value = parameters.get(family);
      if (value != null) {
        parameters.put(family, network.withDefaultInterface(value, family.startsWith("ip6")));
      }
    }
    AtomicFiles.write(spec.jailConf(), jailConf(spec, parameters).getBytes(StandardCharsets.UTF_8));
    for (List<String> devfs : spec.devfsRules()) {
      runner.check(Command.of(devfs));
    }
    runner.check(Command.of(FreeBsdCommands.jailCreate(spec.jailConf(), spec.name())));
    JailNetwork net = spec.network();
    if (!net.vnet() && spec.cpuset().equals("off")) {
      return;
    }
    Teardown created = new Teardown();
    try {
      long jid =
          jid(spec.name())
              .orElseThrow(() -> new IOException("'jail -c' succeeded, yet jls does not list it"));
      if (net.vnet()) {
        network.up(spec.name(), jid, net, fib(spec), created);
        runner.check(execStart(spec));
        if (net.dhcp()) {
          network.dhcpLease(spec.name(), net, fib(spec));
        }
      }
      if (!spec.cpuset().equals("off")) {
        runner.check(Command.of(cpuset(spec, Long.toString(jid))));
      }
    } catch (IOException e) {
      List<String> left = new ArrayList<>(removeJail(spec));
      left.addAll(created.run(runner));
      throw new IOException(
          "cannot start "
              + spec.name()
              + ": "
              + e.getMessage()
              + (left.isEmpty()
                  ? "; the jail and every interface made for it were removed"
                  : "; removing what was made failed too, remove it by hand: "
                      + String.join("; ", left))
              + " (the jail's console output is in "
              + spec.consoleLog()
              + ")",
          e);
    }
  }

  /** {@code jail -r} after a failed start; what failed, empty when it went. */
  private List<String> removeJail(RuntimeSpec spec) throws InterruptedException {
    Teardown jail = new Teardown();
    jail.add(FreeBsdCommands.jailRemove(spec.jailConf(), spec.name()));
    return jail.run(runner);
  }

  /**
   * A vnet jail's exec_start, run once its interfaces are in (jail(8) would run it before they
   * exist): {@code [setfib FIB] jexec [-l] [-U USER] NAME /bin/sh -c EXEC_START}, as jail(8) runs
   * it (a clean environment with exec.clean), its output appended to the console log.
   */
  private static Command execStart(RuntimeSpec spec) throws IOException {
    Map<String, String> p = spec.jailParameters();
    try {
      List<String> jexec =
          FreeBsdCommands.jexec(
              spec.name(),
              "true".equals(p.get("exec.clean")),
              Optional.ofNullable(p.get("exec.jail_user")),
              Map.of(),
              List.of("/bin/sh", "-c", spec.execStart()));
      List<String> argv = new ArrayList<>();
      if (fib(spec) != 0) {
        argv.addAll(List.of("setfib", Integer.toString(fib(spec))));
      }
      argv.addAll(jexec);
      long timeout = Long.parseLong(p.getOrDefault("exec.timeout", "60"));
      return Command.of(argv)
          .withTimeout(timeout > 0 ? Duration.ofSeconds(timeout) : Duration.ofHours(2))
          .withOutputLog(spec.consoleLog());
    } catch (FreeBsdInputException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** {@code cpuset -l CPUS -j JID}: the jail's processes run on its cpuset's CPUs only. */
  private static List<String> cpuset(RuntimeSpec spec, String jid) {
    return List.of("cpuset", "-l", spec.cpuset(), "-j", jid);
  }

  /** The routing table jail commands run under (exec_fib), 0 for the default. */
  private static int fib(RuntimeSpec spec) {
    return Integer.parseInt(spec.jailParameters().getOrDefault("exec.fib", "0"));
  }

  /**
   * The jail.conf {@link #start} writes: {@code parameters} and the console log. A vnet jail's
   * exec.start is left out: {@link #start} runs it once the jail's interfaces are in.
   */
  private static String jailConf(RuntimeSpec spec, Map<String, String> parameters) {
    Map<String, String> p = new LinkedHashMap<>(parameters);
    if (spec.network().vnet()) {
      p.remove("exec.start");
    }
    p.put("exec.consolelog", spec.consoleLog().toString());
    return JailConf.render(spec.name(), p);
  }

  @Override
  public List<String> describeStart(RuntimeSpec spec) {
    List<String> lines = new ArrayList<>();
    for (String family : new String[] {"ip4.addr", "ip6.addr"}) {
      String value = spec.jailParameters().get(family);
      if (value != null && !List.of(value.split(",")).stream().allMatch(a -> a.contains("|"))) {
        boolean inet6 = family.startsWith("ip6");
        lines.add(
            Command.of(FreeBsdNetwork.routeGetDefault(inet6)).display()
                + " and ifconfig: "
                + family
                + " entries without an interface get the default route's interface in front"
                + " (IFACE|ADDRESS) unless the host has the address");
      }
    }
    lines.add("write " + spec.jailConf() + ":\n" + jailConf(spec, spec.jailParameters()).strip());
    spec.devfsRules().forEach(argv -> lines.add(Command.of(argv).display()));
    lines.add(Command.of(FreeBsdCommands.jailCreate(spec.jailConf(), spec.name())).display());
    JailNetwork net = spec.network();
    if (net.vnet()) {
      lines.addAll(network.describeUp(spec.name(), net, fib(spec)));
      try {
        lines.add(execStart(spec).display() + " (output appended to " + spec.consoleLog() + ")");
      } catch (IOException e) {
        lines.add("exec_start refused: " + e.getMessage());
      }
      if (net.dhcp()) {
        lines.add(network.describeDhcpLease(spec.name(), net, fib(spec)));
      }
    }
    if (!spec.cpuset().equals("off")) {
      lines.add(Command.of(cpuset(spec, "JID")).display());
    }
    return lines;
  }

  @Override
  public List<String> describeStop(RuntimeSpec spec) {
    String remove = Command.of(FreeBsdCommands.jailRemove(spec.jailConf(), spec.name())).display();
    return spec.network().vnet()
        ? List.of(
            remove,
            "ifconfig -l, then ifconfig vnetN.JID destroy for each of the jail's interfaces left")
        : List.of(remove);
  }

  @Override
  public void stop(RuntimeSpec spec) throws IOException, InterruptedException {
    OptionalLong jid = jid(spec.name());
    if (jid.isEmpty()) {
      return;
    }
    runner.check(Command.of(FreeBsdCommands.jailRemove(spec.jailConf(), spec.name())));
    if (!spec.network().vnet()) {
      return;
    }
    Teardown interfaces = new Teardown();
    String suffix = "." + jid.getAsLong();
    for (String iface : runner.check(Command.of("ifconfig", "-l")).stdout().trim().split("\\s+")) {
      if (iface.matches("vnet[0-9]+\\.[0-9]+") && iface.endsWith(suffix)) {
        interfaces.add(List.of("ifconfig", iface, "destroy"));
      }
    }
    List<String> failed = interfaces.run(runner);
    if (!failed.isEmpty()) {
      throw new IOException(
          spec.name()
              + " stopped, but its host-side interfaces could not all be destroyed: "
              + String.join("; ", failed));
    }
  }

  @Override
  public OptionalLong jid(JailName name) throws IOException, InterruptedException {
    CommandResult jls = runner.check(Command.of(FreeBsdCommands.jls()));
    try {
      Optional<RunningJail> running = Jls.find(Jls.parse(jls.stdout()), name.value());
      return running.map(j -> OptionalLong.of(j.jid())).orElse(OptionalLong.empty());
    } catch (FreeBsdInputException e) {
      throw new IOException("cannot read jls output: " + e.getMessage(), e);
    }
  }

  @Override
  public CommandResult exec(JailName name, List<String> argv, Map<String, String> env)
      throws IOException, InterruptedException {
    return runner.run(jexecCommand(name, argv, env));
  }

  private static Command jexecCommand(JailName name, List<String> argv, Map<String, String> env)
      throws IOException {
    try {
      return Command.of(
              FreeBsdCommands.jexec(name, false, Optional.empty(), env, new ArrayList<>(argv)))
          .withTimeout(java.time.Duration.ofHours(2));
    } catch (FreeBsdInputException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public CommandResult execStreaming(
      JailName name, List<String> argv, Map<String, String> env, OutputStream sink)
      throws IOException, InterruptedException {
    return runner.streamTo(jexecCommand(name, argv, env), sink);
  }

  @Override
  public CommandResult pkg(JailName name, List<String> args, OutputStream sink)
      throws IOException, InterruptedException {
    return runner.streamTo(pkgCommand(name, args), sink);
  }

  @Override
  public String describePkg(JailName name, List<String> args) throws IOException {
    return pkgCommand(name, args).display();
  }

  private static Command pkgCommand(JailName name, List<String> args) throws IOException {
    try {
      return Command.of(FreeBsdCommands.pkg(name, args));
    } catch (FreeBsdInputException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public boolean loadKernelModule(String module) throws IOException, InterruptedException {
    runner.check(kldload(module));
    return true;
  }

  @Override
  public String describeKernelModule(String module) throws IOException {
    return kldload(module).display();
  }

  private static Command kldload(String module) throws IOException {
    try {
      return Command.of(FreeBsdCommands.kldload(module));
    } catch (FreeBsdInputException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public String describeExec(JailName name, List<String> argv, Map<String, String> env)
      throws IOException {
    return jexecCommand(name, argv, env).display();
  }

  @Override
  public List<String> addresses(JailName name) throws IOException, InterruptedException {
    return network.addresses(name);
  }

  @Override
  public void updateNat(List<JailNetwork> natJails) throws IOException, InterruptedException {
    nat.update(natJails);
  }

  @Override
  public List<String> describeNat(List<JailNetwork> natJails) {
    return nat.describe(natJails);
  }

  @Override
  public String kind() {
    return "jail";
  }

  @Override
  public void mount(JailName name, Mount mount) throws IOException, InterruptedException {
    runner.check(mountCommand(mount));
  }

  @Override
  public void unmount(JailName name, Path target) throws IOException, InterruptedException {
    runner.check(Command.of(FreeBsdCommands.umount(target)));
  }

  @Override
  public boolean mountsWhileRunning() {
    return true;
  }

  @Override
  public String describeMount(Mount mount) {
    return mountCommand(mount).display();
  }

  @Override
  public String describeUnmount(Path target) {
    return Command.of(FreeBsdCommands.umount(target)).display();
  }

  private static Command mountCommand(Mount mount) {
    return Command.of(
        FreeBsdCommands.mountNullfs(mount.source(), mount.target(), mount.readOnly()));
  }

  @Override
  public Command console(JailName name) {
    return Command.of("jexec", name.value(), "login", "-f", "root")
        .withTimeout(Duration.ofDays(365));
  }
}
