package org.warder.client.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.warder.client.exec.CommandResult;
import org.warder.client.jail.props.JailName;
import org.warder.client.net.JailNetwork;

/**
 * Runs jails: FreeBSD's jail(8), or the bubblewrap sandbox on Linux. A started jail keeps running
 * until stopped, independent of the warder process that started it. Implementations are
 * thread-safe.
 */
public interface JailRuntime {
  /** Starts the jail described by {@code spec}; refused when it already runs. */
  void start(RuntimeSpec spec) throws IOException, InterruptedException;

  /** Runs the stop command inside the jail, then removes it; nothing if it does not run. */
  void stop(RuntimeSpec spec) throws IOException, InterruptedException;

  /** The jail's id while it runs: the jid on FreeBSD, the sandbox's host pid on Linux. */
  OptionalLong jid(JailName name) throws IOException, InterruptedException;

  /** Runs {@code argv} inside the running jail with {@code env}, capturing its output. */
  CommandResult exec(JailName name, List<String> argv, Map<String, String> env)
      throws IOException, InterruptedException;

  /**
   * Runs {@code argv} inside the running jail, its standard output copied to {@code sink} as it
   * comes (long scripts show progress); returns the exit code and the captured stderr.
   */
  CommandResult execStreaming(
      JailName name, List<String> argv, Map<String, String> env, OutputStream sink)
      throws IOException, InterruptedException;

  /**
   * Runs {@code pkg ARGS} for the running jail, its output copied to {@code sink} as it comes:
   * FreeBSD's {@code pkg -j} from the host, the jail's own pkg (with ASSUME_ALWAYS_YES) in the
   * sandbox. Returns the exit code and the captured stderr.
   */
  CommandResult pkg(JailName name, List<String> args, OutputStream sink)
      throws IOException, InterruptedException;

  /**
   * Loads host kernel module {@code module} for the jails (a plugin manifest's kmods); returns
   * false, loading nothing, when the jails share the host's kernel as it is (the sandbox).
   */
  boolean loadKernelModule(String module) throws IOException, InterruptedException;

  /**
   * What {@link #start} does for {@code spec}, one line each, as a user could type it: the files it
   * writes with their content and the host commands it runs. Runs nothing.
   */
  List<String> describeStart(RuntimeSpec spec);

  /** What {@link #stop} does for {@code spec} when the jail runs, one line each. */
  List<String> describeStop(RuntimeSpec spec);

  /** What {@link #pkg} runs, as a user could type it; refuses an argument pkg would misread. */
  String describePkg(JailName name, List<String> args) throws IOException;

  /** What {@link #loadKernelModule} does; refuses a module name that is not one. */
  String describeKernelModule(String module) throws IOException;

  /** What {@link #execStreaming} runs in the jail, as a user could type it. */
  String describeExec(JailName name, List<String> argv, Map<String, String> env) throws IOException;

  /**
   * The addresses the running jail has on its own interfaces, loopback left out, IPv4 first: a DHCP
   * lease, a NAT address or static ones; empty for a jail without a network of its own.
   */
  List<String> addresses(JailName name) throws IOException, InterruptedException;

  /**
   * Makes the host's NAT rules those of {@code natJails}, the NAT jails that run (each with {@link
   * JailNetwork#nat()} present): their address translation and port forwards, with IP forwarding
   * on; with none left, warder's rules are removed and forwarding is set back to what it was. Rules
   * the administrator has are never touched.
   */
  void updateNat(List<JailNetwork> natJails) throws IOException, InterruptedException;

  /** What {@link #updateNat} does for {@code natJails}, one line each. */
  List<String> describeNat(List<JailNetwork> natJails);

  /**
   * Mounts {@code mount} into the running jail {@code name} now (nullfs on FreeBSD); the sandbox
   * cannot add a mount to a running jail and refuses, its fstab being read at the next start.
   */
  void mount(JailName name, Mount mount) throws IOException, InterruptedException;

  /** Unmounts {@code target} from the running jail {@code name}; refused as {@link #mount} is. */
  void unmount(JailName name, java.nio.file.Path target) throws IOException, InterruptedException;

  /** Whether {@link #mount} and {@link #unmount} work on a running jail. */
  boolean mountsWhileRunning();

  /** What {@link #mount} runs, as a user could type it. */
  String describeMount(Mount mount);

  /** What {@link #unmount} runs, as a user could type it. */
  String describeUnmount(java.nio.file.Path target);

  /**
   * The host command that gives an interactive login shell as root in the running jail {@code
   * name}, to be run on the user's terminal: {@code jexec NAME login -f root} on FreeBSD, {@code
   * /bin/sh -l} through the exec path in the sandbox.
   */
  org.warder.client.exec.Command console(JailName name) throws IOException, InterruptedException;

  /** {@code jail} or {@code sandbox}, for listings (never to choose what to do). */
  String kind();
}
