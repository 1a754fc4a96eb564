package org.warder.client.freebsd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.warder.client.jail.props.JailName;

/**
 * The argv of every FreeBSD command warder runs on jails, built and never run here (run them with
 * {@code CommandRunner} and {@code Command.of(argv)}). Jail names are {@link JailName}s, so none
 * reads as an option or a jail id; strings from manifests (modules, packages, users) are checked.
 * Programs are named as FreeBSD's root PATH finds them, like the zfs adapter does.
 */
public final class FreeBsdCommands {
  private FreeBsdCommands() {}

  /** {@code jail -f CONF -c NAME}: creates the jail {@code name} described in {@code conf}. */
  public static List<String> jailCreate(Path conf, JailName name) {
    return List.of("jail", "-f", Args.path(conf), "-c", name.value());
  }

  /**
   * {@code jail -f CONF -r NAME}: removes the jail with the exec.prestop/stop/poststop of {@code
   * conf}.
   */
  public static List<String> jailRemove(Path conf, JailName name) {
    return List.of("jail", "-f", Args.path(conf), "-r", name.value());
  }

  /**
   * {@code jexec [-l] [-U USER] NAME [env K=V...] COMMAND...}. With {@code login} (-l) jexec keeps
   * only HOME, SHELL, TERM, USER and the login class; {@code env} then sets variables inside the
   * jail, sorted by name, as argv elements (never through a shell). The program must not start with
   * '-' and, after env assignments, must not contain '=' (env would take it as one).
   */
  public static List<String> jexec(
      JailName name,
      boolean login,
      Optional<String> user,
      Map<String, String> env,
      List<String> command)
      throws FreeBsdInputException {
    if (command.isEmpty()) {
      throw new FreeBsdInputException(
          "command", "command: expected a program to run in the jail, found nothing");
    }
    String program = Args.arg(command.get(0), "program");
    if (program.isEmpty() || program.startsWith("-") || (!env.isEmpty() && program.contains("="))) {
      throw new FreeBsdInputException(
          "program",
          "program: expected a program name or path not starting with '-'"
              + (env.isEmpty() ? "" : " and without '='")
              + ", found '"
              + Args.show(program)
              + "'");
    }
    List<String> argv = new ArrayList<>(List.of("jexec"));
    if (login) {
      argv.add("-l");
    }
    if (user.isPresent()) {
      argv.add("-U");
      argv.add(Args.user(user.get()));
    }
    argv.add(name.value());
    if (!env.isEmpty()) {
      argv.add("env");
      for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
        argv.add(
            Args.envName(e.getKey())
                + "="
                + Args.arg(e.getValue(), "environment value of " + e.getKey()));
      }
    }
    for (String a : command) {
      argv.add(Args.arg(a, "command argument"));
    }
    return List.copyOf(argv);
  }

  /**
   * {@code jls --libxo json -n}: every running jail with all its parameters, for {@link Jls#parse}.
   */
  public static List<String> jls() {
    return List.of("jls", "--libxo", "json", "-n");
  }

  /** {@code pkg -j NAME ARGS...}: the host's pkg acting on the jail's package database. */
  public static List<String> pkg(JailName name, List<String> args) throws FreeBsdInputException {
    List<String> argv = new ArrayList<>(List.of("pkg", "-j", name.value()));
    for (String a : args) {
      argv.add(Args.arg(a, "pkg argument"));
    }
    return List.copyOf(argv);
  }

  /** {@code pkg -j NAME install -y PKG...}; each package is a name or origin, never an option. */
  public static List<String> pkgInstall(JailName name, List<String> packages)
      throws FreeBsdInputException {
    if (packages.isEmpty()) {
      throw new FreeBsdInputException(
          "package", "package: expected at least one package to install, found none");
    }
    List<String> argv = new ArrayList<>(List.of("pkg", "-j", name.value(), "install", "-y"));
    for (String p : packages) {
      argv.add(Args.pkg(p));
    }
    return List.copyOf(argv);
  }

  /** {@code kldload -n MODULE}: loads a host kernel module unless loaded (a manifest's kmods). */
  public static List<String> kldload(String module) throws FreeBsdInputException {
    return List.of("kldload", "-n", Args.module(module));
  }

  /**
   * {@code devfs rule -s N delset}: deletes every rule of ruleset N (before reusing the number).
   */
  public static List<String> devfsDeleteRuleset(int ruleset) {
    return List.of("devfs", "rule", "-s", DevfsRules.number(ruleset), "delset");
  }

  /**
   * {@code chflags -R noschg PATH}: clears the system immutable flag (before removing or replacing
   * release files).
   */
  public static List<String> chflagsNoSchg(Path path) {
    return List.of("chflags", "-R", "noschg", Args.path(path));
  }

  /** {@code mount -t nullfs -o ro|rw SOURCE TARGET}: a host directory into a running jail. */
  public static List<String> mountNullfs(Path source, Path target, boolean readOnly) {
    return List.of(
        "mount",
        "-t",
        "nullfs",
        "-o",
        readOnly ? "ro" : "rw",
        Args.path(source),
        Args.path(target));
  }

  /** {@code umount TARGET}. */
  public static List<String> umount(Path target) {
    return List.of("umount", Args.path(target));
  }
}
