package org.warder.client.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
import org.warder.client.freebsd.JailConf;
import org.warder.client.freebsd.Jls;
import org.warder.client.freebsd.RunningJail;
import org.warder.client.jail.props.JailName;
import org.warder.client.net.JailNetwork;
import org.warder.signing.AtomicFiles;

/**
 * The FreeBSD runtime: jail(8) with a generated jail.conf ({@code jail -f FILE -c NAME}), the
 * jail's own devfs ruleset rebuilt first when it has one, {@code jexec} to enter, {@code jls} to
 * find running jails. Thread-safe.
 */
public final class FreeBsdJailRuntime implements JailRuntime {
  private final CommandRunner runner;

  public FreeBsdJailRuntime(CommandRunner runner) {
    this.runner = runner;
  }

  @Override
  public void start(RuntimeSpec spec) throws IOException, InterruptedException {
    if (jid(spec.name()).isPresent()) {
      throw new IOException("jail " + spec.name() + " is already running; stop it first");
    }
    ConsoleLog.prepare(spec.consoleLog()); // jail(8) opens it by name, following links
    AtomicFiles.write(spec.jailConf(), jailConf(spec).getBytes(StandardCharsets.UTF_8));
    for (List<String> devfs : spec.devfsRules()) {
      runner.check(Command.of(devfs));
    }
    runner.check(Command.of(FreeBsdCommands.jailCreate(spec.jailConf(), spec.name())));
  }

  /** The jail.conf {@link #start} writes: the spec's parameters and the console log. */
  private static String jailConf(RuntimeSpec spec) {
    Map<String, String> parameters = new LinkedHashMap<>(spec.jailParameters());
    parameters.put("exec.consolelog", spec.consoleLog().toString());
    return JailConf.render(spec.name(), parameters);
  }

  @Override
  public List<String> describeStart(RuntimeSpec spec) {
    List<String> lines = new ArrayList<>();
    lines.add("write " + spec.jailConf() + ":\n" + jailConf(spec).strip());
    spec.devfsRules().forEach(argv -> lines.add(Command.of(argv).display()));
    lines.add(Command.of(FreeBsdCommands.jailCreate(spec.jailConf(), spec.name())).display());
    return lines;
  }

  @Override
  public List<String> describeStop(RuntimeSpec spec) {
    return List.of(Command.of(FreeBsdCommands.jailRemove(spec.jailConf(), spec.name())).display());
  }

  @Override
  public void stop(RuntimeSpec spec) throws IOException, InterruptedException {
    if (jid(spec.name()).isEmpty()) {
      return;
    }
    runner.check(Command.of(FreeBsdCommands.jailRemove(spec.jailConf(), spec.name())));
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
  public List<String> addresses(JailName name) throws IOException {
    throw new IOException("jail addresses are not implemented yet");
  }

  @Override
  public void updateNat(List<JailNetwork> natJails) throws IOException {
    if (!natJails.isEmpty()) {
      throw new IOException("NAT is not implemented yet");
    }
  }

  @Override
  public List<String> describeNat(List<JailNetwork> natJails) {
    return List.of();
  }

  @Override
  public String kind() {
    return "jail";
  }
}
