package org.warder.client.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandResult;
import org.warder.client.exec.ProcessCommandRunner;
import org.warder.client.progress.Reporter;

/**
 * A throwaway network for one test, made only of network namespaces it creates ({@code wt<6
 * hex>-ROLE}) and the links, bridges and servers inside them: never the machine's own namespace,
 * its interfaces, routes, firewall or sysctls. Close deletes it all (processes first, then the
 * namespaces, which takes their veths and bridges with them), also after a test failed halfway.
 * Tests that need it fail under {@code CI=true} when root or a tool is missing and skip loudly
 * elsewhere.
 */
public final class TestNetwork implements AutoCloseable {
  private static final List<String> TOOLS = List.of("ip", "ss", "dnsmasq", "busybox", "nft");
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SERVER_START = Duration.ofSeconds(10);

  /** A network namespace this network created; {@code ip netns} knows it by {@code name}. */
  public record Namespace(String name) {
    /** The namespace's bind mount, for {@code nsenter --net=PATH} or {@code setns}. */
    public Path path() {
      return Path.of("/run/netns", name);
    }
  }

  /** One line of dnsmasq's lease file: the client's MAC address, its address and hostname. */
  public record Lease(String mac, String address, String hostname) {}

  /** A running dnsmasq serving DHCP (no DNS), stopped when the network closes. */
  public static final class DhcpServer {
    private final Path leaseFile;
    private final Path log;

    private DhcpServer(Path leaseFile, Path log) {
      this.leaseFile = leaseFile;
      this.log = log;
    }

    /** The leases dnsmasq has handed out so far (none before its first lease). */
    public List<Lease> leases() throws IOException {
      if (!Files.exists(leaseFile)) {
        return List.of();
      }
      List<Lease> leases = new ArrayList<>();
      for (String line : Files.readAllLines(leaseFile)) {
        String[] col = line.trim().split("\\s+"); // expiry mac address hostname client-id
        if (col.length >= 4) {
          leases.add(new Lease(col[1], col[2], col[3]));
        }
      }
      return leases;
    }

    /** What dnsmasq logged (every DHCP exchange), for failure messages. */
    public String log() throws IOException {
      return Files.readString(log);
    }
  }

  private final ProcessCommandRunner runner = new ProcessCommandRunner(Reporter.silent(), false);
  private final String prefix;
  private final Path dir;
  private final Namespace host;
  private final List<Namespace> namespaces = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  private TestNetwork(String prefix, Path dir) {
    this.prefix = prefix;
    this.dir = dir;
    this.host = new Namespace(prefix + "-host");
  }

  /**
   * A network with its {@code host} namespace, keeping lease files and server logs in {@code dir}.
   */
  public static TestNetwork create(Path dir) throws IOException, InterruptedException {
    List<String> missing = TOOLS.stream().filter(t -> !onPath(t)).toList();
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!root || !missing.isEmpty()) {
      String reason =
          "the test network needs root and "
              + TOOLS
              + " on the PATH; running as "
              + System.getProperty("user.name")
              + (missing.isEmpty() ? "" : ", missing " + missing)
              + "; install iproute2 dnsmasq-base busybox-static nftables and run as root";
      Facility.missing("NETWORK", reason);
    }
    String prefix = "wt" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt(), 6);
    TestNetwork network = new TestNetwork(prefix, dir);
    try {
      network.add(network.host);
    } catch (IOException | RuntimeException e) {
      network.close();
      throw e;
    }
    return network;
  }

  /** The namespace warder's runtime uses as the host side: bridges, NAT, port forwards. */
  public Namespace host() {
    return host;
  }

  /** Creates namespace {@code wt<hex>-ROLE} with its loopback up. */
  public Namespace namespace(String role) throws IOException, InterruptedException {
    return add(new Namespace(prefix + "-" + role));
  }

  private Namespace add(Namespace ns) throws IOException, InterruptedException {
    check(Command.of("ip", "netns", "add", ns.name()));
    namespaces.add(ns);
    up(ns, "lo");
    return ns;
  }

  /** Runs {@code ip -n NS ARGS...}; fails unless it exits 0. */
  public void ip(Namespace ns, String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("ip", "-n", ns.name()));
    argv.addAll(List.of(args));
    check(Command.of(argv));
  }

  /** A veth pair, {@code ifA} in {@code a} and {@code ifB} in {@code b}, both up, no addresses. */
  public void link(Namespace a, String ifA, Namespace b, String ifB)
      throws IOException, InterruptedException {
    ip(a, "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", b.name());
    up(a, ifA);
    up(b, ifB);
  }

  /** Brings {@code iface} up. */
  public void up(Namespace ns, String iface) throws IOException, InterruptedException {
    ip(ns, "link", "set", iface, "up");
  }

  /** Adds {@code cidr} (like {@code 10.77.0.1/24}) to {@code iface}. */
  public void address(Namespace ns, String iface, String cidr)
      throws IOException, InterruptedException {
    ip(ns, "addr", "add", cidr, "dev", iface);
  }

  /** A bridge with {@code members} (interfaces already in {@code ns}), forwarding at once, up. */
  public void bridge(Namespace ns, String bridge, String... members)
      throws IOException, InterruptedException {
    ip(ns, "link", "add", bridge, "type", "bridge", "forward_delay", "0");
    for (String member : members) {
      ip(ns, "link", "set", member, "master", bridge);
    }
    up(ns, bridge);
  }

  /**
   * Starts dnsmasq in {@code ns} serving DHCP only on {@code iface} (which must already have an
   * address in the range's subnet): addresses {@code rangeStart}..{@code rangeEnd}, {@code router}
   * as the default gateway, {@code extraOptions} appended (like {@code --dhcp-host=MAC,IP}).
   * Returns once dnsmasq listens on port 67.
   */
  public DhcpServer dhcpServer(
      Namespace ns,
      String iface,
      String rangeStart,
      String rangeEnd,
      String router,
      String... extraOptions)
      throws IOException, InterruptedException {
    String name = ns.name() + "-dnsmasq-" + iface;
    Path leases = dir.resolve(name + ".leases");
    List<String> argv =
        new ArrayList<>(
            List.of(
                "dnsmasq",
                "--keep-in-foreground",
                "--conf-file=/dev/null",
                "--no-resolv",
                "--port=0",
                "--log-facility=-",
                "--log-dhcp",
                "--no-ping", // offer at once: no 3 s probe for a stray host on a test network
                "--dhcp-range=" + rangeStart + "," + rangeEnd + ",1h",
                "--dhcp-option=3," + router,
                "--dhcp-leasefile=" + leases,
                "--pid-file=" + dir.resolve(name + ".pid"), // not the host's /run/dnsmasq.pid
                "--interface=" + iface,
                "--bind-interfaces"));
    argv.addAll(List.of(extraOptions));
    Path log = start(ns, name, argv, () -> listening(ns, "-u", 67));
    return new DhcpServer(leases, log);
  }

  /**
   * Starts {@code busybox httpd} in {@code ns} serving {@code docroot} on {@code address:port};
   * returns its base URL ({@code http://ADDRESS:PORT/}) once it accepts connections.
   */
  public String httpServer(Namespace ns, String address, int port, Path docroot)
      throws IOException, InterruptedException {
    start(
        ns,
        ns.name() + "-httpd-" + port,
        List.of("busybox", "httpd", "-f", "-p", address + ":" + port, "-h", docroot.toString()),
        () -> listening(ns, "-t", port));
    return "http://" + address + ":" + port + "/";
  }

  /**
   * Runs {@code argv} in {@code ns} ({@code ip netns exec}); its result, whatever its exit code.
   */
  public CommandResult exec(Namespace ns, String... argv) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
    command.addAll(List.of(argv));
    return runner.run(Command.of(command).withTimeout(COMMAND_TIMEOUT));
  }

  /**
   * Stops every server this network started, kills whatever else still runs in its namespaces and
   * deletes them; tries every step and fails at the end naming whatever it could not remove.
   * Closing again retries only what is left.
   */
  @Override
  public void close() throws IOException {
    List<String> failures = new ArrayList<>();
    try {
      for (Process p : processes) {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(5, TimeUnit.SECONDS);
        }
      }
      processes.clear();
      for (Namespace ns : List.copyOf(namespaces)) {
        for (ProcessHandle straggler : stragglers(ns)) {
          straggler.destroyForcibly();
          if (!gone(straggler)) {
            failures.add("process " + straggler.pid() + " in " + ns.name() + " did not exit");
          }
        }
        CommandResult deleted = deleteWhenFree(ns);
        if (deleted.ok()) {
          namespaces.remove(ns);
        } else {
          failures.add("ip netns del " + ns.name() + ": " + deleted.stderr().strip());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failures.add("interrupted");
    }
    if (!failures.isEmpty()) {
      throw new IOException(
          "expected to remove the test network "
              + prefix
              + " completely, but "
              + String.join("; ", failures)
              + "; delete what is left with 'ip netns del NAME' (see 'ip netns list')");
    }
  }

  /** Whatever still runs in {@code ns}: processes a test started there and left behind. */
  private List<ProcessHandle> stragglers(Namespace ns) throws IOException, InterruptedException {
    return runner
        .run(Command.of("ip", "netns", "pids", ns.name()))
        .stdout()
        .lines()
        .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)).stream())
        .toList();
  }

  /** Whether {@code process} (not our child) stops running within 5 s. */
  private static boolean gone(ProcessHandle process) throws InterruptedException {
    for (int i = 0; i < 500 && running(process.pid()); i++) {
      Thread.sleep(10);
    }
    return !running(process.pid());
  }

  /**
   * Whether process {@code pid} runs. A killed orphan stays a zombie until PID 1 reaps it, which
   * some inits do only every second or so (or never); it holds no namespace and counts as gone.
   */
  public static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z'; // "pid (comm) STATE ..."
    } catch (IOException e) {
      return false; // no /proc entry: reaped
    }
  }

  /** Deletes {@code ns}, retrying briefly while a just-killed process still holds it. */
  private CommandResult deleteWhenFree(Namespace ns) throws IOException, InterruptedException {
    CommandResult result = runner.run(Command.of("ip", "netns", "del", ns.name()));
    for (int attempt = 1; !result.ok() && attempt < 10; attempt++) {
      Thread.sleep(100L * attempt);
      result = runner.run(Command.of("ip", "netns", "del", ns.name()));
    }
    return result;
  }

  /**
   * Starts {@code argv} in the foreground in {@code ns}, its output in {@code NAME.log}, and waits
   * until {@code ready}; fails with the log if it exits or is not ready in time.
   */
  private Path start(Namespace ns, String name, List<String> argv, Ready ready)
      throws IOException, InterruptedException {
    Path log = dir.resolve(name + ".log");
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
    command.addAll(argv);
    Process process =
        new ProcessBuilder(command)
            .redirectInput(new File("/dev/null"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    processes.add(process);
    long deadline = System.nanoTime() + SERVER_START.toNanos();
    while (!ready.check()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IOException(
            "expected '"
                + String.join(" ", argv)
                + "' in "
                + ns.name()
                + " to listen within "
                + SERVER_START
                + "; it "
                + (process.isAlive() ? "still does not" : "exited with " + process.exitValue())
                + ". Its output:\n"
                + Files.readString(log));
      }
      Thread.sleep(50);
    }
    return log;
  }

  /** A readiness probe for a server. */
  @FunctionalInterface
  private interface Ready {
    boolean check() throws IOException, InterruptedException;
  }

  /** Whether something in {@code ns} listens on {@code port} ({@code -t} TCP, {@code -u} UDP). */
  private boolean listening(Namespace ns, String protocol, int port)
      throws IOException, InterruptedException {
    CommandResult ss = exec(ns, "ss", "-Hln", protocol, "sport = :" + port);
    return ss.ok() && !ss.stdout().isBlank();
  }

  private void check(Command command) throws IOException, InterruptedException {
    runner.check(command.withTimeout(COMMAND_TIMEOUT));
  }

  private static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    return Stream.of(path.split(File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
  }
}
