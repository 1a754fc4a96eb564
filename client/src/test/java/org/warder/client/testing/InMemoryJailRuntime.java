package org.warder.client.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import org.warder.client.exec.CommandResult;
import org.warder.client.jail.props.JailName;
import org.warder.client.net.JailNetwork;
import org.warder.client.net.VnetInterface;
import org.warder.client.runtime.JailRuntime;
import org.warder.client.runtime.RuntimeSpec;

/**
 * A {@link JailRuntime} that runs nothing: it keeps which jails "run" (each start gives the next
 * jid), records every start, stop and command in order as {@code start NAME}, {@code stop NAME} and
 * {@code exec NAME ARGV...}, NAT updates as {@code nat NAME,NAME}, and answers commands from a
 * script. Refuses what the real runtimes refuse: starting a running jail, a command in a stopped
 * one. Thread-safe.
 */
public final class InMemoryJailRuntime implements JailRuntime {
  private final Map<JailName, Long> running = new LinkedHashMap<>();
  private final Map<JailName, RuntimeSpec> specs = new LinkedHashMap<>();
  private final List<String> events = new ArrayList<>();
  private final List<RuntimeSpec> started = new ArrayList<>();
  private final Function<List<String>, CommandResult> script;
  private long nextJid = 1;

  /** Commands exit with what {@code script} gives for their argv. */
  public InMemoryJailRuntime(Function<List<String>, CommandResult> script) {
    this.script = script;
  }

  /** Every command exits 0 with no output. */
  public InMemoryJailRuntime() {
    this(argv -> new CommandResult(0, "", ""));
  }

  @Override
  public synchronized void start(RuntimeSpec spec) throws IOException {
    if (running.containsKey(spec.name())) {
      throw new IOException(spec.name() + " already runs");
    }
    running.put(spec.name(), nextJid++);
    specs.put(spec.name(), spec);
    started.add(spec);
    events.add("start " + spec.name());
  }

  @Override
  public synchronized void stop(RuntimeSpec spec) {
    specs.remove(spec.name());
    if (running.remove(spec.name()) != null) {
      events.add("stop " + spec.name());
    }
  }

  @Override
  public synchronized OptionalLong jid(JailName name) {
    Long jid = running.get(name);
    return jid == null ? OptionalLong.empty() : OptionalLong.of(jid);
  }

  @Override
  public synchronized CommandResult exec(JailName name, List<String> argv, Map<String, String> env)
      throws IOException {
    if (!running.containsKey(name)) {
      throw new IOException(name + " does not run");
    }
    events.add("exec " + name + " " + String.join(" ", argv));
    return script.apply(argv);
  }

  @Override
  public CommandResult execStreaming(
      JailName name, List<String> argv, Map<String, String> env, OutputStream sink)
      throws IOException {
    CommandResult result = exec(name, argv, env);
    sink.write(result.stdout().getBytes(StandardCharsets.UTF_8));
    return new CommandResult(result.exitCode(), "", result.stderr());
  }

  @Override
  public CommandResult pkg(JailName name, List<String> args, OutputStream sink) throws IOException {
    List<String> argv = new ArrayList<>(List.of("pkg"));
    argv.addAll(args);
    return execStreaming(name, argv, Map.of(), sink);
  }

  @Override
  public synchronized boolean loadKernelModule(String module) {
    events.add("kldload " + module);
    return true;
  }

  /**
   * The jail's static vnet addresses (prefix dropped) or its NAT address; a DHCP jail "leases"
   * 192.0.2.N, N being 100 plus its jid.
   */
  @Override
  public synchronized List<String> addresses(JailName name) throws IOException {
    RuntimeSpec spec = specs.get(name);
    if (spec == null) {
      throw new IOException(name + " does not run");
    }
    JailNetwork net = spec.network();
    List<String> out = new ArrayList<>();
    if (net.dhcp()) {
      out.add("192.0.2." + (100 + running.get(name)));
    }
    net.nat().ifPresent(n -> out.add(n.jailAddress()));
    for (VnetInterface i : net.interfaces()) {
      if (net.nat().isEmpty()) {
        i.ipv4().forEach(a -> out.add(a.split("/")[0]));
      }
    }
    net.interfaces().forEach(i -> i.ipv6().forEach(a -> out.add(a.split("/")[0])));
    return out;
  }

  @Override
  public synchronized void updateNat(List<JailNetwork> natJails) {
    events.add("nat " + String.join(",", natJails.stream().map(n -> n.jail().value()).toList()));
  }

  @Override
  public List<String> describeNat(List<JailNetwork> natJails) {
    return List.of(
        "nat " + String.join(",", natJails.stream().map(n -> n.jail().value()).toList()));
  }

  @Override
  public List<String> describeStart(RuntimeSpec spec) {
    return List.of("start " + spec.name());
  }

  @Override
  public List<String> describeStop(RuntimeSpec spec) {
    return List.of("stop " + spec.name());
  }

  @Override
  public String describePkg(JailName name, List<String> args) {
    return "exec " + name + " pkg " + String.join(" ", args);
  }

  @Override
  public String describeKernelModule(String module) {
    return "kldload " + module;
  }

  @Override
  public String describeExec(JailName name, List<String> argv, Map<String, String> env) {
    return "exec " + name + " " + String.join(" ", argv);
  }

  @Override
  public synchronized void mount(JailName name, org.warder.client.runtime.Mount mount) {
    events.add(describeMount(mount));
  }

  @Override
  public synchronized void unmount(JailName name, java.nio.file.Path target) {
    events.add(describeUnmount(target));
  }

  @Override
  public boolean mountsWhileRunning() {
    return true;
  }

  @Override
  public String describeMount(org.warder.client.runtime.Mount mount) {
    return "mount " + mount.source() + " " + mount.target() + (mount.readOnly() ? " ro" : " rw");
  }

  @Override
  public String describeUnmount(java.nio.file.Path target) {
    return "umount " + target;
  }

  @Override
  public org.warder.client.exec.Command console(JailName name) {
    return org.warder.client.exec.Command.of("console", name.value());
  }

  @Override
  public String kind() {
    return "memory";
  }

  /** Every start, stop and command so far, oldest first. */
  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  /** The specs jails were started with, oldest first. */
  public synchronized List<RuntimeSpec> started() {
    return List.copyOf(started);
  }

  /** The names of the jails that run now, in start order. */
  public synchronized List<String> running() {
    return running.keySet().stream().map(JailName::value).toList();
  }
}
