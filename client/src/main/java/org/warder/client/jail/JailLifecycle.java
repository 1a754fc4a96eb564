package org.warder.client.jail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.warder.client.ClientException.Reason;
import org.warder.client.exec.CommandResult;
import org.warder.client.freebsd.FreeBsdInputException;
import org.warder.client.freebsd.Fstab;
import org.warder.client.freebsd.FstabEntry;
import org.warder.client.freebsd.JailConf;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.jail.props.PropertyException;
import org.warder.client.layout.HostLayout;
import org.warder.client.net.JailNetwork;
import org.warder.client.net.Mac;
import org.warder.client.net.NatAddresses;
import org.warder.client.net.NatExhaustedException;
import org.warder.client.net.PortForward;
import org.warder.client.plan.Plan;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.client.runtime.JailRuntime;
import org.warder.client.runtime.Mount;
import org.warder.client.runtime.RuntimeSpec;

/**
 * Running jails: start after the jails they depend on, stop, the boot order of {@code start --rc}
 * and {@code stop --rc}, their state for listings, and commands inside them. Not thread-safe.
 */
public final class JailLifecycle {
  /** An fstab warder writes holds a few dozen lines. */
  private static final int MAX_FSTAB = 1 << 20;

  private final HostLayout layout;
  private final JailStore store;
  private final JailRuntime runtime;
  private final JailMounts mounts;
  private final Reporter reporter;
  private final StartFiles startFiles = new StartFiles(StartFiles.HOST_LOCALTIME);

  public JailLifecycle(
      HostLayout layout,
      JailStore store,
      JailRuntime runtime,
      JailMounts mounts,
      Reporter reporter) {
    this.layout = layout;
    this.store = store;
    this.runtime = runtime;
    this.mounts = mounts;
    this.reporter = reporter;
  }

  /** A jail or template with its state: the jid while it runs, and its directory. */
  public record Status(Jail jail, OptionalLong jid, Path dir) {
    public boolean running() {
      return jid.isPresent();
    }
  }

  /** Whether {@code jail} runs now. */
  public boolean running(Jail jail) throws IOException, InterruptedException {
    return !jail.template() && runtime.jid(jail.name()).isPresent();
  }

  /** Starts {@code name}, after the jails it depends on; refuses templates and cycles. */
  public void start(String name) throws JailException, IOException, InterruptedException {
    for (StartJail step : startSteps(List.of(name), false, Set.of())) {
      step.run(reporter);
    }
  }

  /**
   * The steps of {@code warder start}: with {@code atBoot} every boot=1 jail that is not running,
   * in {@link #bootOrder}; then each of {@code names} after the jails it depends on that are not
   * running. Refuses a named jail that runs, a template, a cycle, a base jail whose release is
   * missing, inconsistent properties and a NAT forward another running jail holds, before any jail
   * starts. Changes nothing.
   */
  public Plan startPlan(List<String> names, boolean atBoot)
      throws JailException, IOException, InterruptedException {
    return new Plan(List.copyOf(startSteps(names, atBoot, Set.of())));
  }

  /**
   * The steps of {@code warder stop}: with {@code atBoot} every running boot=1 jail in reverse
   * {@link #bootOrder}; then each of {@code names}, which must run. Changes nothing.
   */
  public Plan stopPlan(List<String> names, boolean atBoot)
      throws JailException, IOException, InterruptedException {
    return new Plan(List.copyOf(stopSteps(names, atBoot)));
  }

  /** The steps of {@code warder restart}: stop {@code name} if it runs, then start it. */
  public Plan restartPlan(String name) throws JailException, IOException, InterruptedException {
    Jail jail = store.get(name);
    List<Step> steps = new ArrayList<>();
    if (runtime.jid(jail.name()).isPresent()) {
      steps.addAll(stopSteps(List.of(name), false));
    }
    steps.addAll(startSteps(List.of(name), false, Set.of(name)));
    return new Plan(steps);
  }

  private List<StartJail> startSteps(List<String> names, boolean atBoot, Set<String> stopping)
      throws JailException, IOException, InterruptedException {
    List<Jail> wanted = new ArrayList<>();
    if (atBoot) {
      wanted.addAll(bootOrder());
    }
    for (String n : names) {
      Jail jail = store.get(n);
      List<Jail> withDependencies = withDependencies(jail);
      if (!stopping.contains(n) && runtime.jid(jail.name()).isPresent()) {
        throw new JailException(Reason.CONFLICT, n + " is already running");
      }
      wanted.addAll(withDependencies);
    }
    List<JailNetwork> nat = new ArrayList<>(runningNat());
    nat.removeIf(network -> stopping.contains(network.jail().value()));
    Set<String> planned = new HashSet<>();
    List<StartJail> steps = new ArrayList<>();
    for (Jail jail : wanted) {
      String n = jail.name().value();
      boolean runs = !stopping.contains(n) && runtime.jid(jail.name()).isPresent();
      if (!runs && planned.add(n)) {
        steps.add(new StartJail(jail, nat));
      }
    }
    return steps;
  }

  private List<StopJail> stopSteps(List<String> names, boolean atBoot)
      throws JailException, IOException, InterruptedException {
    List<Jail> wanted = new ArrayList<>();
    if (atBoot) {
      List<Jail> order = new ArrayList<>(bootOrder());
      Collections.reverse(order);
      for (Jail j : order) {
        if (runtime.jid(j.name()).isPresent()) {
          wanted.add(j);
        }
      }
    }
    for (String n : names) {
      Jail jail = store.get(n);
      if (runtime.jid(jail.name()).isEmpty()) {
        throw new JailException(Reason.CONFLICT, n + " is not running");
      }
      wanted.add(jail);
    }
    List<JailNetwork> nat = new ArrayList<>(runningNat());
    Set<String> planned = new HashSet<>();
    List<StopJail> steps = new ArrayList<>();
    for (Jail jail : wanted) {
      if (planned.add(jail.name().value())) {
        steps.add(new StopJail(jail, nat));
      }
    }
    return steps;
  }

  /**
   * Starts one jail, not running, whose dependencies the steps before start. Built with every check
   * a start makes before it changes anything; {@code nat} (the NAT jails running when this step
   * runs) gains the jail's network when it has NAT.
   */
  private final class StartJail implements Step {
    private final Jail jail;
    private final List<String> description = new ArrayList<>();

    StartJail(Jail jail, List<JailNetwork> nat)
        throws JailException, IOException, InterruptedException {
      this.jail = jail;
      checkStartable(jail);
      mounts.baseOrigin(jail);
      JailProperties props = decideNetwork(jail);
      RuntimeSpec spec = spec(jail);
      description.addAll(describeStart(jail, spec));
      if (props.isTrue("nat")) {
        refuseHeldForwards(jail.name(), props);
        nat.add(spec.network());
        description.addAll(runtime.describeNat(List.copyOf(nat)));
      }
    }

    @Override
    public String name() {
      return "start " + jail.name();
    }

    @Override
    public List<String> describe() {
      return description;
    }

    @Override
    public void run(Reporter reporter) throws JailException, IOException, InterruptedException {
      startOne(jail);
    }
  }

  /**
   * Stops one running jail; {@code nat} (the NAT jails running when this step runs) loses its
   * network.
   */
  private final class StopJail implements Step {
    private final Jail jail;
    private final List<String> description = new ArrayList<>();

    StopJail(Jail jail, List<JailNetwork> nat) throws JailException, IOException {
      this.jail = jail;
      description.addAll(runtime.describeStop(spec(jail)));
      if (jail.props().isTrue("nat")) {
        nat.removeIf(network -> network.jail().equals(jail.name()));
        description.addAll(runtime.describeNat(List.copyOf(nat)));
      }
    }

    @Override
    public String name() {
      return "stop " + jail.name();
    }

    @Override
    public List<String> describe() {
      return description;
    }

    @Override
    public void run(Reporter reporter) throws JailException, IOException, InterruptedException {
      stopRunning(jail);
    }
  }

  /** Refuses to start a template or a jail whose properties contradict each other. */
  private static void checkStartable(Jail jail) throws JailException {
    if (jail.template()) {
      throw new JailException(
          Reason.CONFLICT,
          jail.name()
              + " is a template: templates never start; create a jail from it with"
              + " 'warder create -t "
              + jail.name()
              + " -n NAME'");
    }
    try {
      jail.props().checkConsistent();
    } catch (PropertyException e) {
      throw new JailException(e.reason(), "cannot start " + jail.name() + ": " + e.getMessage(), e);
    }
  }

  private void startOne(Jail jail) throws JailException, IOException, InterruptedException {
    checkStartable(jail);
    mounts.baseOrigin(jail);
    Jail prepared =
        JailDevfs.apply(store, JailDevfs.atStart(store, prepareNetwork(jail)), reporter);
    RuntimeSpec spec = spec(prepared);
    startFiles.write(prepared.name(), spec.root(), prepared.props(), spec.network(), reporter);
    runtime.start(spec);
    if (spec.network().nat().isPresent()) {
      try {
        runtime.updateNat(runningNat());
      } catch (IOException | RuntimeException e) {
        runtime.stop(spec); // the jail's interfaces go with it; its rules were never loaded
        throw e;
      }
    }
    reporter.info(
        jail.name()
            + " started"
            + runtime.jid(jail.name()).stream()
                .mapToObj(j -> " (jid " + j + ")")
                .findFirst()
                .orElse(""));
  }

  /**
   * What starting {@code jail} as {@code spec} does, for plans: the devfs ruleset it gets (unless
   * {@code spec} rebuilds one already), the files written into its root ({@link StartFiles}), then
   * the runtime's start with that ruleset.
   */
  public List<String> describeStart(Jail jail, RuntimeSpec spec) throws JailException, IOException {
    List<String> lines = new ArrayList<>();
    RuntimeSpec decided = spec;
    if (spec.devfsRules().isEmpty()) {
      JailDevfs.AtStart devfs = JailDevfs.atStart(store, jail);
      if (!devfs.note().isEmpty()) {
        lines.add((devfs.warning() ? "warning: " : "") + devfs.note());
      }
      decided = spec.withDevfs(devfs.jail().props().value("devfs_ruleset"), devfs.commands());
    }
    lines.addAll(startFiles.describe(spec.root(), jail.props(), spec.network()));
    lines.addAll(runtime.describeStart(decided));
    return lines;
  }

  /** Stops {@code name} (its exec_stop, then the jail goes). */
  public void stop(String name) throws JailException, IOException, InterruptedException {
    for (StopJail step : stopSteps(List.of(name), false)) {
      step.run(reporter);
    }
  }

  /** Stops {@code jail}, known to run. */
  private void stopRunning(Jail jail) throws JailException, IOException, InterruptedException {
    halt(jail);
    reporter.info(jail.name() + " stopped");
  }

  /** Stops {@code jail} without a report, before something else is done to it. */
  void halt(Jail jail) throws JailException, IOException, InterruptedException {
    RuntimeSpec spec = spec(jail);
    runtime.stop(spec);
    if (jail.props().isTrue("nat")) {
      runtime.updateNat(runningNat());
    }
  }

  /**
   * {@code jail} with what its network needs stored before it starts, as iocage does (see {@link
   * #decideNetwork}); refuses a port forward another running NAT jail has.
   */
  private Jail prepareNetwork(Jail jail) throws JailException, IOException, InterruptedException {
    JailProperties props = decideNetwork(jail);
    if (props.isTrue("nat")) {
      refuseHeldForwards(jail.name(), props);
    }
    if (props.equals(jail.props())) {
      return jail;
    }
    Jail prepared = new Jail(jail.name(), props, jail.template());
    store.save(prepared);
    return prepared;
  }

  /**
   * {@code jail}'s properties with its network decided: the MACs of its vnet interfaces (generated
   * once, then kept) and, for NAT, an address pair no other jail holds. A start stores them; a
   * description shows what the start would use.
   */
  private JailProperties decideNetwork(Jail jail) throws JailException, IOException {
    JailProperties props = jail.props();
    try {
      if (props.isTrue("vnet")) {
        Map<String, String> macs = new TreeMap<>();
        for (String entry : props.value("interfaces").split(",")) {
          String nic = entry.split(":")[0];
          if (props.value(nic + "_mac").equals("none")) {
            macs.put(
                nic + "_mac",
                Mac.pair(jail.name().value(), nic, props.value("mac_prefix")).stored());
          }
        }
        props = props.with(macs);
      }
      if (props.isTrue("nat")) {
        Set<String> used = new HashSet<>();
        for (Jail other : store.all(false)) {
          if (!other.name().equals(jail.name())) {
            used.addAll(NatAddresses.held(other.props()));
          }
        }
        props = NatAddresses.allocate(props, used);
      }
      return props;
    } catch (PropertyException e) {
      throw new JailException(e.reason(), "cannot start " + jail.name() + ": " + e.getMessage(), e);
    } catch (NatExhaustedException e) {
      throw new JailException(e.reason(), "cannot start " + jail.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Refuses {@code props}' forwards of host ports a running NAT jail other than {@code name} has.
   */
  private void refuseHeldForwards(JailName name, JailProperties props)
      throws JailException, IOException, InterruptedException {
    Map<String, JailName> hostPorts = new TreeMap<>();
    for (Jail other : store.all(false)) {
      if (!other.name().equals(name)
          && other.props().isTrue("nat")
          && runtime.jid(other.name()).isPresent()) {
        for (PortForward f : PortForward.parse(other.props().value("nat_forwards"))) {
          hostPorts.put(f.protocol() + " port " + f.hostPort(), other.name());
        }
      }
    }
    for (PortForward f : PortForward.parse(props.value("nat_forwards"))) {
      JailName holder = hostPorts.get(f.protocol() + " port " + f.hostPort());
      if (holder != null) {
        throw new JailException(
            Reason.CONFLICT,
            "cannot start "
                + name
                + ": its nat_forwards "
                + f
                + " wants host "
                + f.protocol()
                + " port "
                + f.hostPort()
                + ", which running jail "
                + holder
                + " forwards already; change one of them with 'warder set nat_forwards=...'");
      }
    }
  }

  /** The networks of the NAT jails that run now. */
  private List<JailNetwork> runningNat() throws JailException, IOException, InterruptedException {
    List<JailNetwork> nat = new ArrayList<>();
    for (Jail j : store.all(false)) {
      if (j.props().isTrue("nat") && runtime.jid(j.name()).isPresent()) {
        nat.add(JailNetwork.of(j.name(), j.props())); // running: its addresses are stored
      }
    }
    return nat;
  }

  /** Jails with {@code boot=1} in start order: priority, then dependencies first. */
  public List<Jail> bootOrder() throws JailException, IOException {
    List<Jail> boot = new ArrayList<>();
    for (Jail j : store.all(false)) {
      if (j.props().isTrue("boot")) {
        boot.add(j);
      }
    }
    boot.sort(
        Comparator.comparingInt((Jail j) -> j.props().intValue("priority"))
            .thenComparing(j -> j.name().value()));
    Set<String> seen = new LinkedHashSet<>();
    List<Jail> ordered = new ArrayList<>();
    for (Jail j : boot) {
      for (Jail d : withDependencies(j)) {
        if (seen.add(d.name().value())) {
          ordered.add(d);
        }
      }
    }
    return ordered;
  }

  /** {@code jail} preceded by everything it depends on, transitively; refuses cycles. */
  List<Jail> withDependencies(Jail jail) throws JailException, IOException {
    List<Jail> order = new ArrayList<>();
    visit(jail, new ArrayDeque<>(), new LinkedHashSet<>(), order);
    return order;
  }

  private void visit(Jail jail, Deque<String> path, Set<String> done, List<Jail> order)
      throws JailException, IOException {
    String n = jail.name().value();
    if (done.contains(n)) {
      return;
    }
    if (path.contains(n)) {
      List<String> cycle = new ArrayList<>(path);
      Collections.reverse(cycle);
      cycle.add(n);
      throw new JailException(
          "jails depend on each other in a cycle: "
              + String.join(" -> ", cycle)
              + "; remove one of these depends with 'warder set depends=...'");
    }
    path.push(n);
    for (JailName dep : jail.props().depends()) {
      Jail d =
          store
              .find(dep.value())
              .orElseThrow(
                  () ->
                      new JailException(
                          Reason.NOT_FOUND,
                          n
                              + " depends on "
                              + dep
                              + ", which does not exist; fix it with 'warder set depends=... "
                              + n
                              + "'"));
      visit(d, path, done, order);
    }
    path.pop();
    done.add(n);
    order.add(jail);
  }

  /** The jails (or templates) with their state, by name. */
  public List<Status> list(boolean templates)
      throws JailException, IOException, InterruptedException {
    List<Status> rows = new ArrayList<>();
    for (Jail j : store.all(templates)) {
      rows.add(
          new Status(
              j,
              templates ? OptionalLong.empty() : runtime.jid(j.name()),
              store.dir(j.name().value(), templates)));
    }
    return rows;
  }

  /** Runs {@code argv} in the running jail. */
  public CommandResult exec(String name, List<String> argv, Map<String, String> env)
      throws JailException, IOException, InterruptedException {
    Jail jail = store.get(name);
    if (runtime.jid(jail.name()).isEmpty()) {
      throw new JailException(
          Reason.CONFLICT, name + " is not running; start it with 'warder start " + name + "'");
    }
    return runtime.exec(jail.name(), argv, env);
  }

  /** The runtime description of a jail: mounts, network, commands, jail(8) parameters. */
  public RuntimeSpec spec(Jail jail) throws JailException, IOException {
    Path root = layout.path(jail.rootName());
    Path dir = store.dir(jail.name().value(), jail.template());
    List<Mount> mountList = new ArrayList<>();
    Optional<Path> fstab = Optional.empty();
    Path fstabFile = mounts.fstab(jail);
    Optional<byte[]> fstabBytes = JailStore.readOwnFile(fstabFile, MAX_FSTAB);
    if (fstabBytes.isPresent()) {
      fstab = Optional.of(fstabFile);
      try {
        for (FstabEntry e : Fstab.parse(new String(fstabBytes.get(), StandardCharsets.UTF_8))) {
          if (e.type().equals("nullfs")) {
            mountList.add(
                new Mount(
                    Path.of(e.source()),
                    Path.of(e.mountPoint()),
                    List.of(e.options().split(",")).contains("ro")));
          }
        }
      } catch (FreeBsdInputException e) {
        throw new JailException(fstabFile + " is damaged: " + e.getMessage(), e);
      }
    }
    String hostname = jail.props().value("host_hostname");
    if (hostname.equals("none")) {
      hostname = jail.name().value().replace('_', '-');
    }
    boolean inherit = jail.props().value("ip4").equals("inherit");
    return new RuntimeSpec(
        jail.name(),
        root,
        dir,
        hostname,
        inherit,
        mountList,
        jail.props().value("exec_start"),
        jail.props().value("exec_stop"),
        JailConf.parameters(jail.name(), root, jail.props(), fstab),
        JailDevfs.commands(dir, jail.props()),
        JailNetwork.of(jail.name(), decideNetwork(jail)),
        jail.props().value("cpuset"));
  }
}
