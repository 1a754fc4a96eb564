package org.warder.client.plugin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandFailedException;
import org.warder.client.exec.CommandResult;
import org.warder.client.exec.CommandRunner;
import org.warder.client.freebsd.FreeBsdCommands;
import org.warder.client.freebsd.FreeBsdInputException;
import org.warder.client.freebsd.PkgFingerprint;
import org.warder.client.freebsd.PkgRepo;
import org.warder.client.freebsd.PkgRepos;
import org.warder.client.host.ConfinedDirectory;
import org.warder.client.jail.Jail;
import org.warder.client.jail.Jails;
import org.warder.index.PluginManifest;

/**
 * The steps plugin installs and updates share: the jail's pkg repositories, pkg runs, the artifact
 * at its pinned commit with its overlay, and scripts run inside the jail with their output streamed
 * to the console; the last lines of output are kept for error messages. Not thread-safe: one per
 * install or update.
 */
final class PluginSteps {
  private static final int TAIL = 10;
  private static final Set<PosixFilePermission> SCRIPT_MODE =
      PosixFilePermissions.fromString("rwx------");
  private final Jails jails;
  private final CommandRunner runner;
  private final PrintWriter out;
  private final Deque<String> output = new ArrayDeque<>();

  PluginSteps(Jails jails, CommandRunner runner, PrintWriter out) {
    this.jails = jails;
    this.runner = runner;
    this.out = out;
  }

  /**
   * What is written into a jail's root from the host, through a {@link ConfinedDirectory} of it.
   */
  @FunctionalInterface
  interface RootWrites {
    void write(ConfinedDirectory root) throws Exception;
  }

  /**
   * Runs {@code writes} on the jail root {@code root} while nothing in the jail runs: a running
   * jail is stopped first and started again after. The writes go through a {@link
   * ConfinedDirectory} as well, so a link the jail left behind is refused rather than followed.
   */
  void whileStopped(Jail jail, Path root, RootWrites writes) throws Exception {
    boolean running = jails.runtime().jid(jail.name()).isPresent();
    if (running) {
      jails.lifecycle().stop(jail.name().value());
    }
    try (ConfinedDirectory dir = ConfinedDirectory.open(root)) {
      writes.write(dir);
    }
    if (running) {
      jails.lifecycle().start(jail.name().value());
    }
  }

  /** Writes the manifest's repositories, one fingerprint file per entry, into the jail root. */
  static void writePkgRepos(PluginManifest m, ConfinedDirectory root, PkgRepos.FreeBsdRepo policy)
      throws Exception {
    List<PkgRepo> repos = new ArrayList<>();
    for (Map.Entry<String, List<PluginManifest.Fingerprint>> e : m.fingerprints().entrySet()) {
      List<PkgFingerprint> fps = new ArrayList<>();
      for (PluginManifest.Fingerprint f : e.getValue()) {
        fps.add(PkgFingerprint.of(f.function(), f.fingerprint()));
      }
      repos.add(PkgRepo.of(e.getKey(), m.packagesite(), fps));
    }
    PkgRepos.write(root, repos, policy);
  }

  /**
   * {@code pkg ARGS PACKAGES}: {@code pkg -j} from the host on FreeBSD, the jail's own pkg in the
   * sandbox.
   */
  void pkg(Jail jail, List<String> args, List<String> packages)
      throws IOException, InterruptedException {
    if (packages.isEmpty()) {
      return;
    }
    List<String> all = new ArrayList<>(args);
    all.addAll(packages);
    if (jails.runtime().kind().equals("jail")) {
      try {
        check(runStreaming(Command.of(FreeBsdCommands.pkg(jail.name(), all))));
      } catch (FreeBsdInputException e) {
        throw new IOException(e.getMessage(), e);
      }
    } else {
      List<String> argv = new ArrayList<>(List.of("pkg"));
      argv.addAll(all);
      check(
          jails
              .runtime()
              .execStreaming(jail.name(), argv, Map.of("ASSUME_ALWAYS_YES", "yes"), sink()));
    }
  }

  /**
   * Checks the artifact out at {@code commit} into {@code pluginDir} (a host directory, which must
   * not exist).
   */
  void checkout(Path bundle, String commit, Path pluginDir) throws IOException, PluginException {
    new ArtifactCheckout().checkout(bundle, commit, pluginDir);
    out.println("artifact " + commit + " checked out into " + pluginDir);
  }

  /** Copies the artifact's overlay, when it has one, onto the jail root. */
  void overlay(Path pluginDir, ConfinedDirectory root) throws IOException, PluginException {
    Path overlay = pluginDir.resolve("overlay");
    if (Files.isDirectory(overlay, LinkOption.NOFOLLOW_LINKS)) {
      out.println("overlay: " + OverlayCopy.copy(overlay, root) + " files copied into the jail");
    }
  }

  /**
   * Places the artifact's {@code script} (post_install.sh, pre_update.sh, ...) at {@code
   * /root/SCRIPT} in the jail, when the artifact has it; returns whether it does.
   */
  static boolean place(Path pluginDir, ConfinedDirectory root, String script) throws IOException {
    Path source = pluginDir.resolve(script);
    if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    root.copyIn(source, "root/" + script, SCRIPT_MODE);
    return true;
  }

  /**
   * Runs {@code /root/SCRIPT}, placed by {@link #place}, inside the jail with its output streamed.
   */
  void run(Jail jail, String script, Map<String, String> env)
      throws IOException, InterruptedException {
    check(
        jails
            .runtime()
            .execStreaming(
                jail.name(),
                List.of("/bin/sh", "-c", "exec 2>&1; exec /bin/sh /root/" + script),
                env,
                sink()));
  }

  /** The last lines of output, for an error message. */
  List<String> tail() {
    return List.copyOf(output);
  }

  private CommandResult runStreaming(Command command) throws IOException, InterruptedException {
    try {
      runner.stream(
          command,
          in -> {
            in.transferTo(sink());
            return null;
          });
      return new CommandResult(0, "", "");
    } catch (CommandFailedException e) {
      return e.result();
    }
  }

  /** Copies output to the console line by line, keeping the last lines. */
  private OutputStream sink() {
    return new OutputStream() {
      private final ByteArrayOutputStream line = new ByteArrayOutputStream();

      @Override
      public void write(int b) {
        if (b == '\n') {
          String text = line.toString(StandardCharsets.UTF_8);
          line.reset();
          out.println("  " + text);
          out.flush();
          keep(text);
        } else {
          line.write(b);
        }
      }
    };
  }

  private void keep(String line) {
    output.addLast(line);
    while (output.size() > TAIL) {
      output.removeFirst();
    }
  }

  private void check(CommandResult result) throws IOException {
    if (!result.ok()) {
      result.stderr().lines().forEach(this::keep);
      throw new IOException("exited with status " + result.exitCode());
    }
  }
}
