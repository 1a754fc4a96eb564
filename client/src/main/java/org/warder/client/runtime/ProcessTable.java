package org.warder.client.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The host's process table, read through {@link ProcessHandle} and /proc (no process is started):
 * finds a sandbox by its command line and signals it. Thread-safe.
 */
public final class ProcessTable {
  /**
   * The pid of a process of this pid namespace whose argument list contains {@code marker} as a
   * contiguous run of arguments (for example {@code --setenv WARDER_JAIL www1}). Processes of other
   * pid namespaces are never it: a jail can start a process with any name and arguments, but only
   * in its own pid namespace.
   */
  public Optional<Long> find(List<String> marker) {
    Optional<Path> ours = pidNamespace("self");
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(p -> ours.isPresent() && pidNamespace(Long.toString(p.pid())).equals(ours))
        .filter(
            p ->
                p.info()
                    .command()
                    .map(c -> c.endsWith("/" + marker.get(0)) || c.equals(marker.get(0)))
                    .orElse(false))
        .filter(
            p ->
                p.info()
                    .arguments()
                    .map(args -> containsRun(List.of(args), marker.subList(1, marker.size())))
                    .orElse(false))
        .map(ProcessHandle::pid)
        .findFirst();
  }

  /**
   * The full command line of process {@code pid}, read from {@code /proc/PID/cmdline} (which {@link
   * ProcessHandle.Info} may cut short); empty when the process is gone.
   */
  public List<String> commandLine(long pid) throws IOException {
    byte[] raw;
    try {
      raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
    } catch (NoSuchFileException e) {
      return List.of();
    }
    if (raw.length == 0) {
      return List.of();
    }
    return List.of(new String(raw, 0, raw.length - 1, StandardCharsets.UTF_8).split("\0", -1));
  }

  /** The first child of {@code pid}, if any. */
  public Optional<Long> firstChild(long pid) {
    return ProcessHandle.of(pid).flatMap(p -> p.children().findFirst()).map(ProcessHandle::pid);
  }

  /** SIGTERM, then SIGKILL after {@code grace}; returns when the process is gone. */
  public void kill(long pid, Duration grace) throws InterruptedException {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty()) {
      return;
    }
    handle.get().destroy();
    long deadline = System.nanoTime() + grace.toNanos();
    while (handle.get().isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    if (handle.get().isAlive()) {
      handle.get().destroyForcibly();
      while (handle.get().isAlive()) {
        Thread.sleep(20);
      }
    }
  }

  /**
   * Whether process {@code pid} has a handler for signal number {@code signal} (its SigCgt mask in
   * /proc); false when it is gone.
   */
  public boolean catchesSignal(long pid, int signal) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("SigCgt:")) {
          return new java.math.BigInteger(line.substring(7).strip(), 16).testBit(signal - 1);
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** The pid namespace of process {@code pid} ({@code pid:[4026531836]}); empty when it is gone. */
  private static Optional<Path> pidNamespace(String pid) {
    try {
      return Optional.of(Files.readSymbolicLink(Path.of("/proc", pid, "ns", "pid")));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean containsRun(List<String> args, List<String> run) {
    for (int i = 0; i + run.size() <= args.size(); i++) {
      if (args.subList(i, i + run.size()).equals(run)) {
        return true;
      }
    }
    return false;
  }
}
