package org.warder.client.jail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandRunner;
import org.warder.client.host.HostOs;
import org.warder.client.jail.props.Origin;
import org.warder.client.layout.HostLayout;
import org.warder.client.progress.Reporter;

/**
 * {@code warder update} and {@code upgrade} of a plain (non-plugin) jail: freebsd-update run from
 * the host on the jail's root, as iocage runs it for a jail ({@code -b ROOT -d
 * ROOT/var/db/freebsd-update -f ROOT/etc/freebsd-update.conf --currently-running RELEASE}); an
 * upgrade then records the new release. A base jail's system directories are read-only mounts of
 * its release, so it is refused with what to do instead. FreeBSD only: Linux has no freebsd-update.
 * Not thread-safe.
 */
public final class JailUpdater {
  private final HostLayout layout;
  private final JailStore store;
  private final CommandRunner runner;
  private final HostOs os;
  private final Reporter reporter;

  public JailUpdater(
      HostLayout layout, JailStore store, CommandRunner runner, HostOs os, Reporter reporter) {
    this.layout = layout;
    this.store = store;
    this.runner = runner;
    this.os = os;
    this.reporter = reporter;
  }

  /**
   * The freebsd-update commands that update jail {@code name} to its release's latest patch level,
   * or with {@code newRelease} upgrade it to that release; every check made. Runs nothing.
   */
  public List<Command> commands(String name, Optional<String> newRelease)
      throws ClientException, IOException {
    Jail jail = store.get(name);
    if (os != HostOs.FREEBSD) {
      throw new JailException(
          Reason.CONFLICT,
          "updating a jail runs FreeBSD's freebsd-update, which this "
              + os.name().toLowerCase(java.util.Locale.ROOT)
              + " host lacks; on Linux make a jail from a newer release instead"
              + " ('warder fetch -r RELEASE', 'warder create -r RELEASE -n NAME')");
    }
    if (jail.template() || jail.props().identity("type").orElse("jail").equals("plugin")) {
      throw new JailException(
          Reason.CONFLICT,
          name
              + " is "
              + (jail.template() ? "a template" : "a plugin jail")
              + "; update "
              + (jail.template()
                  ? "the jails made from it"
                  : "it with 'warder plugin update " + name + "'"));
    }
    if (jail.props().isTrue("basejail")) {
      throw new JailException(
          Reason.CONFLICT,
          name
              + " is a base jail: its system directories are read-only mounts of "
              + jail.origin().map(Origin::describe).orElse("its release")
              + "; update that release instead (fetch it again with 'warder fetch -r "
              + jail.release()
              + "'), and its jails follow");
    }
    String release = jail.release();
    if (release.equals("EMPTY")) {
      throw new JailException(
          Reason.CONFLICT, name + " is an empty jail, made from no release: nothing to update");
    }
    Path root = layout.path(jail.rootName());
    List<String> base =
        List.of(
            "freebsd-update",
            "-b",
            root.toString(),
            "-d",
            root.resolve("var/db/freebsd-update") + "/",
            "-f",
            root.resolve("etc/freebsd-update.conf").toString(),
            "--not-running-from-cron",
            "--currently-running",
            release);
    List<Command> out = new ArrayList<>();
    if (newRelease.isPresent()) {
      out.add(Command.of(with(base, "-r", newRelease.get(), "upgrade")));
      // install the new kernel bits, then the world (iocage runs install until nothing is left)
      out.add(Command.of(with(base, "install")));
      out.add(Command.of(with(base, "install")));
    } else {
      out.add(Command.of(with(base, "fetch")));
      out.add(Command.of(with(base, "install")));
    }
    return out.stream()
        .map(
            c ->
                new Command(
                    c.argv(), Map.of("PAGER", "cat"), c.stdin(), java.time.Duration.ofHours(2)))
        .toList();
  }

  private static List<String> with(List<String> base, String... more) {
    List<String> argv = new ArrayList<>(base);
    argv.addAll(List.of(more));
    return argv;
  }

  /** Runs {@link #commands}, then records an upgrade's new release. */
  public void update(String name, Optional<String> newRelease)
      throws ClientException, IOException, InterruptedException {
    for (Command c : commands(name, newRelease)) {
      runner.check(c);
    }
    if (newRelease.isPresent()) {
      Jail jail = store.get(name);
      store.save(
          new Jail(
              jail.name(),
              jail.props().withIdentity(Map.of("release", newRelease.get())),
              jail.template()));
    }
    reporter.info(name + newRelease.map(r -> " upgraded to " + r).orElse(" updated"));
  }
}
