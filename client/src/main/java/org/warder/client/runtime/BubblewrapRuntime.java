package org.warder.client.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandResult;
import org.warder.client.exec.CommandRunner;
import org.warder.client.jail.props.JailName;
import org.warder.client.net.JailNetwork;

/**
 * The Linux runtime: a jail is a bubblewrap sandbox over the jail root, with its own mount, pid,
 * uts and ipc namespaces, and its own network namespace (loopback only) unless it shares the host's
 * ({@code ip4=inherit}). Root inside keeps only the capabilities of a FreeBSD jail's root ({@link
 * Confinement}); every mount is nosuid and nodev, /dev holds only bwrap's few harmless nodes and
 * /proc shows the sandbox's own processes. {@code setsid -f} detaches it so it outlives warder;
 * {@code exec} runs a command in its namespaces through a second bwrap with the same layout and
 * capabilities. The sandbox is found again by the marker variable {@code WARDER_JAIL=<warder
 * root>#<name>} on bwrap's command line, so that two warder roots on one host never see each
 * other's jails. Thread-safe.
 */
public final class BubblewrapRuntime implements JailRuntime {
  static final String MARKER = "WARDER_JAIL";
  private static final String PATH = "/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin";
  private static final Map<String, String> PKG_ENV = Map.of("ASSUME_ALWAYS_YES", "yes");
  private static final Duration START_WAIT = Duration.ofSeconds(10);
  private static final int USR1 = 10;

  /**
   * What a vnet sandbox's shell runs first: it waits for SIGUSR1, which warder sends once the
   * network is configured, so that the jail's start command finds its interfaces, addresses and
   * lease as jail(8)'s exec.start does.
   */
  private static final String NETWORK_GATE =
      "trap 'warder_net=1' USR1; while [ -z \"$warder_net\" ]; do sleep 1 & wait $!; done;"
          + " trap - USR1; ";

  private final CommandRunner runner;
  private final ProcessTable processes;
  private final java.nio.file.Path warderRoot;
  private final SandboxNetwork network;

  /** A runtime whose jails' host network namespace is warder's own. */
  public BubblewrapRuntime(
      CommandRunner runner, ProcessTable processes, java.nio.file.Path warderRoot) {
    this(runner, processes, warderRoot, HostNetns.current());
  }

  /**
   * A runtime whose jails' bridges, veth host sides, NAT and {@code ip4=inherit} network live in
   * {@code hostNetns}; warder's own state (the forwarding setting NAT changed) under {@code
   * warderRoot}.
   */
  public BubblewrapRuntime(
      CommandRunner runner,
      ProcessTable processes,
      java.nio.file.Path warderRoot,
      HostNetns hostNetns) {
    this.runner = runner;
    this.processes = processes;
    this.warderRoot = warderRoot;
    this.network = new SandboxNetwork(runner, processes, hostNetns, warderRoot);
  }

  /**
   * The bwrap argv that starts {@code spec}, detached with setsid. bwrap's own processes are
   * visible in the sandbox's /proc: {@code env -i} keeps warder's environment (tokens, passphrases)
   * out of their environ files.
   */
  public List<String> startArgv(RuntimeSpec spec) {
    List<String> argv = new ArrayList<>(List.of("setsid", "-f"));
    argv.addAll(
        network.host().run(List.of("env", "-i", "bwrap", "--bind", spec.root().toString(), "/")));
    for (Mount m : spec.mounts()) {
      String relative = spec.root().relativize(m.target()).toString();
      argv.addAll(
          List.of(m.readOnly() ? "--ro-bind" : "--bind", m.source().toString(), "/" + relative));
    }
    argv.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
    argv.addAll(
        Confinement.capabilityArgs(
            "true".equals(spec.jailParameters().get(Confinement.RAW_SOCKETS_PARAMETER))));
    argv.addAll(List.of("--unshare-pid", "--unshare-uts", "--unshare-ipc"));
    if (spec.network().vnet() || !spec.inheritNetwork()) {
      argv.add("--unshare-net");
    }
    argv.addAll(
        List.of(
            "--new-session",
            "--hostname",
            spec.hostname(),
            "--chdir",
            "/",
            "--clearenv",
            "--setenv",
            "PATH",
            PATH,
            "--setenv",
            "HOME",
            "/root",
            "--setenv",
            MARKER,
            markerValue(spec.name()),
            "/bin/sh",
            "-c",
            (spec.network().vnet() ? NETWORK_GATE : "")
                + spec.execStart()
                + "; while :; do sleep 86400; done"));
    return argv;
  }

  @Override
  public void start(RuntimeSpec spec) throws IOException, InterruptedException {
    refuseSharedStack(spec);
    refuseCpuset(spec);
    network.host().requireExists();
    if (jid(spec.name()).isPresent()) {
      throw new IOException("jail " + spec.name() + " is already running; stop it first");
    }
    network.stopClients(spec.jailDir()); // left by a sandbox that ended without warder
    // setsid leaves bwrap running: it must write to the console log, never to warder's pipes;
    // the redirection opens it by name, following links
    ConsoleLog.prepare(spec.consoleLog());
    runner.check(Command.of(startArgv(spec)).withOutputLog(spec.consoleLog()));
    // Ready when the sandbox's pid 1 has started the jail's command: bwrap sets up the mounts
    // and the root before that, so nothing enters a half-built sandbox.
    long deadline = System.nanoTime() + START_WAIT.toNanos();
    while (jid(spec.name()).stream()
        .mapToObj(processes::firstChild)
        .noneMatch(Optional::isPresent)) {
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "jail "
                + spec.name()
                + " did not come up within "
                + START_WAIT.toSeconds()
                + " s; see "
                + spec.consoleLog()
                + " (is /bin/sh present in "
                + spec.root()
                + "?)");
      }
      Thread.sleep(50);
    }
    if (spec.network().vnet()) {
      long pid =
          jid(spec.name())
              .orElseThrow(
                  () ->
                      new IOException(
                          "jail "
                              + spec.name()
                              + " exited while starting; see "
                              + spec.consoleLog()));
      try {
        network.configure(spec, pid);
        openGate(pid);
      } catch (IOException | InterruptedException | RuntimeException e) {
        kill(spec.name(), pid);
        throw e;
      }
    }
  }

  /**
   * Refuses jail(8)'s shared-stack addresses (ip4_addr/ip6_addr without vnet): a Linux sandbox can
   * not own some of the host's addresses and no others, and giving it the host's whole network
   * (ip4=inherit) instead would be a silent change of meaning.
   */
  private static void refuseSharedStack(RuntimeSpec spec) throws IOException {
    if (spec.network().vnet()) {
      return;
    }
    for (String parameter : List.of("ip4.addr", "ip6.addr")) {
      String value = spec.jailParameters().get(parameter);
      if (value != null) {
        throw new IOException(
            "cannot start "
                + spec.name()
                + " in the Linux sandbox: "
                + parameter.replace('.', '_')
                + "="
                + value
                + " without vnet asks for host addresses shared with the jail, which a sandbox"
                + " cannot have; give the jail its own network with 'warder set vnet=1 "
                + spec.name()
                + "' (the address then lives on its vnet0), or share the host's whole network"
                + " with 'warder set ip4=inherit ip4_addr=none ip6_addr=none "
                + spec.name()
                + "'");
      }
    }
  }

  /**
   * Refuses {@code cpuset}: FreeBSD's {@code cpuset -j} is a limit the jail cannot lift, while a
   * process in the sandbox may widen its own CPU affinity again (taskset is a hint, not a limit),
   * so accepting it here would promise what the sandbox does not keep.
   */
  private static void refuseCpuset(RuntimeSpec spec) throws IOException {
    if (!spec.cpuset().equals("off")) {
      throw new IOException(
          "cannot start "
              + spec.name()
              + " in the Linux sandbox: cpuset="
              + spec.cpuset()
              + " is a CPU limit only FreeBSD's cpuset -j keeps (a sandboxed process can undo"
              + " taskset); set 'warder set cpuset=off "
              + spec.name()
              + "' to run it here");
    }
  }

  /** Lets the sandbox's shell go on to the jail's start command ({@link #NETWORK_GATE}). */
  private void openGate(long pid) throws IOException, InterruptedException {
    long shell =
        processes
            .firstChild(pid)
            .orElseThrow(() -> new IOException("the shell of sandbox " + pid + " is gone"));
    long deadline = System.nanoTime() + START_WAIT.toNanos();
    while (!processes.catchesSignal(shell, USR1)) {
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "expected the shell of sandbox "
                + pid
                + " to wait for SIGUSR1 within "
                + START_WAIT.toSeconds()
                + " s; it does not");
      }
      Thread.sleep(20);
    }
    runner.check(Command.of("kill", "-USR1", Long.toString(shell)));
  }

  @Override
  public void stop(RuntimeSpec spec) throws IOException, InterruptedException {
    OptionalLong pid = jid(spec.name());
    if (pid.isEmpty()) {
      network.stopClients(spec.jailDir()); // the sandbox ended by itself: its DHCP client goes too
      return;
    }
    // a sandbox without warder's confinement (an older warder started it) gets no command run
    // with root's capabilities: it is only killed
    Optional<List<String>> layout = layout(spec.name());
    if (layout.isPresent()) {
      Command stop =
          enter(pid.getAsLong(), layout.get(), List.of("/bin/sh", "-c", spec.execStop()), Map.of());
      runner.run(stop.withTimeout(Duration.ofMinutes(2)));
    }
    // rc.shutdown has stopped the services: the network goes, then the sandbox
    network.release(spec.jailDir(), pid.getAsLong());
    kill(spec.name(), pid.getAsLong());
  }

  /** Ends the sandbox of {@code name}, whose pid 1 is {@code pid}, and waits until it is gone. */
  private void kill(JailName name, long pid) throws IOException, InterruptedException {
    // the sandbox's pid 1 (bwrap) ignores SIGTERM, and killing it ends every process of the pid
    // namespace
    processes.kill(pid, Duration.ZERO);
    // bwrap itself (outside the namespace) exits once its child is gone; wait for that too, so
    // that the jail reads as stopped the moment this returns
    Optional<Long> bwrap = processes.find(marker(name));
    if (bwrap.isPresent()) {
      processes.kill(bwrap.get(), Duration.ofSeconds(5));
    }
  }

  private List<String> marker(JailName name) {
    return List.of("bwrap", "--setenv", MARKER, markerValue(name));
  }

  private String markerValue(JailName name) {
    return warderRoot + "#" + name.value();
  }

  /** The host pid of the sandbox's first process (pid 1 inside), while it runs. */
  @Override
  public OptionalLong jid(JailName name) {
    Optional<Long> bwrap = processes.find(marker(name));
    return bwrap.flatMap(processes::firstChild).map(OptionalLong::of).orElse(OptionalLong.empty());
  }

  @Override
  public CommandResult exec(JailName name, List<String> argv, Map<String, String> env)
      throws IOException, InterruptedException {
    return runner.run(enter(name, argv, env));
  }

  @Override
  public CommandResult execStreaming(
      JailName name, List<String> argv, Map<String, String> env, OutputStream sink)
      throws IOException, InterruptedException {
    return runner.streamTo(enter(name, argv, env), sink);
  }

  /** The command that runs {@code argv} in the running sandbox of jail {@code name}. */
  private Command enter(JailName name, List<String> argv, Map<String, String> env)
      throws IOException {
    OptionalLong pid = jid(name);
    if (pid.isEmpty()) {
      throw new IOException(
          "jail " + name + " is not running; start it with 'warder start " + name + "'");
    }
    List<String> layout =
        layout(name)
            .orElseThrow(
                () ->
                    new IOException(
                        "jail "
                            + name
                            + " runs in a sandbox without warder's capability limits (an older warder started it); nothing is run in it."
                            + " Restart it: 'warder stop "
                            + name
                            + "', then 'warder start "
                            + name
                            + "'"));
    return enter(pid.getAsLong(), layout, argv, env);
  }

  /** The layout and capability options the running sandbox of {@code name} was started with. */
  private Optional<List<String>> layout(JailName name) throws IOException {
    Optional<Long> bwrap = processes.find(marker(name));
    return bwrap.isEmpty()
        ? Optional.empty()
        : Confinement.layoutOf(processes.commandLine(bwrap.get()));
  }

  /**
   * Runs a command in the sandbox whose pid 1 is {@code pid}: nsenter joins its uts, ipc, net and
   * pid namespaces, unshare mounts a /proc of that pid namespace, and bwrap rebuilds the sandbox's
   * {@code layout} (root, mounts, /proc, /dev, capabilities) around the command. A bare nsenter
   * into the mount namespace would hand the command all of root's capabilities. As at start, {@code
   * env -i} keeps warder's environment out of the sandbox's view.
   */
  static Command enter(long pid, List<String> layout, List<String> argv, Map<String, String> env) {
    List<String> full =
        new ArrayList<>(
            List.of(
                "env",
                "-i",
                "nsenter",
                "-t",
                Long.toString(pid),
                "-u",
                "-i",
                "-n",
                "-p",
                "--",
                "unshare",
                "--mount",
                "--mount-proc",
                "--",
                "bwrap"));
    full.addAll(layout);
    full.addAll(
        List.of(
            "--new-session",
            "--die-with-parent",
            "--chdir",
            "/",
            "--clearenv",
            "--setenv",
            "PATH",
            PATH,
            "--setenv",
            "HOME",
            "/root"));
    env.forEach((k, v) -> full.addAll(List.of("--setenv", k, v)));
    full.add("--");
    full.addAll(argv);
    return Command.of(full).withTimeout(Duration.ofHours(2));
  }

  @Override
  public List<String> describeStart(RuntimeSpec spec) {
    List<String> lines = new ArrayList<>();
    lines.add(Command.of(startArgv(spec)).display() + " > " + spec.consoleLog());
    if (spec.network().vnet()) {
      lines.add("then, PID being the sandbox's pid:");
      lines.addAll(network.describe(spec));
      lines.add("then SIGUSR1 to the sandbox's shell, which runs " + spec.execStart());
    }
    return lines;
  }

  @Override
  public List<String> describeStop(RuntimeSpec spec) {
    return List.of(
        "in jail "
            + spec.name()
            + ": /bin/sh -c '"
            + spec.execStop()
            + "', then kill the sandbox of "
            + spec.name());
  }

  @Override
  public CommandResult pkg(JailName name, List<String> args, OutputStream sink)
      throws IOException, InterruptedException {
    return execStreaming(name, pkgArgv(args), PKG_ENV, sink);
  }

  @Override
  public String describePkg(JailName name, List<String> args) {
    return describeExec(name, pkgArgv(args), PKG_ENV);
  }

  private static List<String> pkgArgv(List<String> args) {
    List<String> argv = new ArrayList<>(List.of("pkg"));
    argv.addAll(args);
    return argv;
  }

  /** The sandbox shares the host's Linux kernel: there is no FreeBSD module to load. */
  @Override
  public boolean loadKernelModule(String module) {
    return false;
  }

  @Override
  public String describeKernelModule(String module) {
    return "skip kldload " + module + " (the sandbox shares the Linux kernel)";
  }

  @Override
  public String describeExec(JailName name, List<String> argv, Map<String, String> env) {
    StringBuilder line = new StringBuilder("in jail " + name);
    if (!env.isEmpty()) {
      line.append(", with");
      new java.util.TreeMap<>(env)
          .forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
    }
    return line.append(": ").append(Command.of(argv).display()).toString();
  }

  /** The addresses of a sandbox with a network namespace of its own; none for ip4=inherit. */
  @Override
  public List<String> addresses(JailName name) throws IOException, InterruptedException {
    OptionalLong pid = jid(name);
    Optional<Long> bwrap = processes.find(marker(name));
    if (pid.isEmpty() || bwrap.isEmpty()) {
      throw new IOException(
          "jail " + name + " is not running; start it with 'warder start " + name + "'");
    }
    if (!processes.commandLine(bwrap.get()).contains("--unshare-net")) {
      return List.of();
    }
    return network.addresses(pid.getAsLong());
  }

  @Override
  public void updateNat(List<JailNetwork> natJails) throws IOException, InterruptedException {
    network.updateNat(natJails);
  }

  @Override
  public List<String> describeNat(List<JailNetwork> natJails) {
    return network.describeNat(natJails);
  }

  @Override
  public String kind() {
    return "sandbox";
  }

  @Override
  public void mount(JailName name, Mount mount) throws IOException {
    throw new IOException(cannotMount(name));
  }

  @Override
  public void unmount(JailName name, java.nio.file.Path target) throws IOException {
    throw new IOException(cannotMount(name));
  }

  private static String cannotMount(JailName name) {
    return "the Linux sandbox cannot change the mounts of running jail "
        + name
        + "; its fstab is read at the next start: 'warder restart "
        + name
        + "'";
  }

  @Override
  public boolean mountsWhileRunning() {
    return false;
  }

  @Override
  public String describeMount(Mount mount) {
    return "at the next start: bind " + mount.source() + " on " + mount.target();
  }

  @Override
  public String describeUnmount(java.nio.file.Path target) {
    return "at the next start: no mount on " + target;
  }

  /** {@code /bin/sh -l} through {@link #exec}'s path, with TERM for the shell's line editing. */
  @Override
  public Command console(JailName name) throws IOException {
    return enter(name, List.of("/bin/sh", "-l"), Map.of("TERM", "vt100"))
        .withTimeout(Duration.ofDays(365));
  }
}
