package org.warder.client.cli;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
import org.warder.client.layout.HostLayout;
import org.warder.client.storage.HostSettings;
import picocli.CommandLine.ParseResult;

/**
 * Which commands need root, decided before they do anything: those that run jails (jail(8) on
 * FreeBSD, the bubblewrap sandbox on Linux), those that write trees root owns (releases, jail
 * roots), and on ZFS storage those that make or send datasets. Read-only commands ({@code list},
 * {@code get}, {@code repo}, {@code key}, {@code publish}...) and every {@code --dry-run} do not.
 * Stateless.
 */
final class RootNeeds {
  private static final String RUNS_JAILS = "it runs jail(8) / the bubblewrap sandbox";
  private static final String OWNED_TREES =
      "it writes release and jail trees whose files root owns";

  /** The commands that always need root, by their name under {@code warder}, and why. */
  private static final Map<String, String> ALWAYS =
      Map.ofEntries(
          Map.entry("start", RUNS_JAILS),
          Map.entry("stop", RUNS_JAILS),
          Map.entry("restart", RUNS_JAILS),
          Map.entry("exec", RUNS_JAILS),
          Map.entry("pkg", RUNS_JAILS),
          Map.entry("console", RUNS_JAILS),
          Map.entry("fstab", "it mounts host directories into jails (at once when they run)"),
          Map.entry("update", "it runs freebsd-update on a jail's root, whose files root owns"),
          Map.entry("upgrade", "it runs freebsd-update on a jail's root, whose files root owns"),
          Map.entry("service", RUNS_JAILS),
          Map.entry("sysrc", RUNS_JAILS),
          Map.entry("cp", OWNED_TREES),
          Map.entry("plugin install", RUNS_JAILS),
          Map.entry("plugin update", RUNS_JAILS),
          Map.entry("plugin upgrade", RUNS_JAILS),
          Map.entry("fetch", OWNED_TREES),
          Map.entry("destroy", OWNED_TREES),
          Map.entry("import", OWNED_TREES),
          Map.entry("pull", OWNED_TREES));

  /** The commands that need root on ZFS storage only (on directories a user may own the root). */
  private static final Map<String, String> ON_ZFS =
      Map.of(
          "create", "it makes ZFS datasets",
          "clone", "it makes ZFS snapshots and datasets",
          "rename", "it renames ZFS datasets",
          "snapshot", "it makes ZFS snapshots",
          "rollback", "it rolls ZFS datasets back",
          "export", "it sends ZFS datasets",
          "push", "it sends ZFS datasets");

  private RootNeeds() {}

  /**
   * Why the command {@code parsed} asks for needs root, or empty when it does not (on this host's
   * storage {@code layout}).
   */
  static Optional<String> why(ParseResult parsed, HostLayout layout) {
    ParseResult leaf = parsed;
    StringBuilder name = new StringBuilder();
    for (ParseResult p = parsed.subcommand(); p != null; p = p.subcommand()) {
      leaf = p;
      name.append(name.length() == 0 ? "" : " ").append(p.commandSpec().name());
    }
    if (leaf.hasMatchedOption("--dry-run")) {
      return Optional.empty();
    }
    String command = name.toString();
    if (command.equals("fetch") && leaf.hasMatchedOption("-P")) {
      return Optional.of(
          "warder fetch -P needs root: it installs the plugin into a jail it starts ("
              + RUNS_JAILS.substring("it runs ".length())
              + ")");
    }
    Optional<String> always = Optional.ofNullable(ALWAYS.get(command));
    if (always.isPresent()) {
      return always.map(w -> "warder " + command + " needs root: " + w);
    }
    return Optional.ofNullable(ON_ZFS.get(command))
        .filter(w -> isZfs(layout))
        .map(w -> "warder " + command + " needs root on ZFS storage: " + w);
  }

  /**
   * Refuses {@code parsed} when it needs root and {@code operator} is not: a {@link
   * Reason#PRIVILEGE} failure that says why and what to do.
   */
  static void check(ParseResult parsed, HostLayout layout, Operator operator)
      throws ClientException, IOException, InterruptedException {
    Optional<String> why = why(parsed, layout);
    if (why.isPresent() && !operator.root()) {
      throw new ClientException(
          Reason.PRIVILEGE, why.get() + "; run it as root (sudo warder ..., doas warder ...)");
    }
  }

  private static boolean isZfs(HostLayout layout) {
    try {
      return HostSettings.load(layout).storage().equals("zfs");
    } catch (IOException e) {
      return false; // damaged settings: the command itself says so
    }
  }
}
