package org.warder.client.jail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.warder.client.ClientException.Reason;
import org.warder.client.host.ConfinedDirectory;
import org.warder.client.layout.HostLayout;

/**
 * {@code warder cp}: a host file or directory tree copied into a jail's root (Bastille's {@code
 * cp}). Every write goes through a {@link ConfinedDirectory} of the root, so neither {@code ..} in
 * the jail path nor a symbolic link the jail planted (absolute or relative) leads outside it; each
 * file replaces the one there atomically, with the source's permission bits (directories' too).
 * Symbolic links in the source are copied as links; device nodes, fifos and sockets are refused
 * before anything is written. Stateless.
 */
public final class JailCopier {
  private final HostLayout layout;
  private final JailStore store;

  JailCopier(HostLayout layout, JailStore store) {
    this.layout = layout;
    this.store = store;
  }

  /** One entry to copy: a host path and where it goes, relative to the jail's root. */
  public record Entry(Path source, String target, PosixFileAttributes attrs) {}

  /**
   * What copying {@code source} to {@code jailPath} in jail {@code name} writes, parents first;
   * refused when the source holds a special file or the jail path climbs out with {@code ..}.
   */
  public List<Entry> plan(String name, Path source, String jailPath)
      throws JailException, IOException {
    Jail jail = store.get(name);
    List<String> names = new ArrayList<>();
    for (String n : jailPath.split("/")) {
      if (n.equals("..")) {
        throw new JailException(
            Reason.INVALID_INPUT,
            "expected a path inside the jail without '..', got '"
                + jailPath
                + "'; give it from the jail's root, e.g. /usr/local/etc/nginx.conf");
      }
      if (!n.isEmpty() && !n.equals(".")) {
        names.add(n);
      }
    }
    if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new JailException(
          Reason.INVALID_INPUT, source + " does not exist; expected a host file or directory");
    }
    try (ConfinedDirectory root = ConfinedDirectory.open(layout.path(jail.rootName()))) {
      String base = source.toAbsolutePath().normalize().getFileName().toString();
      String target = String.join("/", names);
      if (target.isEmpty()) {
        target = base;
      } else if (root.attributes(target).map(a -> a.isDirectory()).orElse(false)) {
        target = target + "/" + base;
      }
      List<Entry> entries = new ArrayList<>();
      try (Stream<Path> walk = Files.walk(source)) {
        for (Path p : (Iterable<Path>) walk::iterator) {
          PosixFileAttributes a =
              Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (!a.isRegularFile() && !a.isDirectory() && !a.isSymbolicLink()) {
            throw new JailException(
                Reason.INVALID_INPUT,
                p
                    + " is a device node, fifo or socket; warder cp copies regular files,"
                    + " directories and links only: leave it out and copy the rest");
          }
          String rel = source.relativize(p).toString();
          entries.add(new Entry(p, rel.isEmpty() ? target : target + "/" + rel, a));
        }
      }
      return List.copyOf(entries);
    }
  }

  /** Writes {@code entries} (from {@link #plan}) into jail {@code name}'s root. */
  public void copy(String name, List<Entry> entries) throws JailException, IOException {
    Jail jail = store.get(name);
    try (ConfinedDirectory root = ConfinedDirectory.open(layout.path(jail.rootName()))) {
      for (Entry e : entries) {
        if (e.attrs().isDirectory()) {
          root.createDirectories(e.target());
        } else if (e.attrs().isSymbolicLink()) {
          root.symlink(e.target(), Files.readSymbolicLink(e.source()).toString());
        } else {
          root.copyIn(e.source(), e.target(), e.attrs().permissions());
        }
      }
      for (int i = entries.size() - 1; i >= 0; i--) {
        Entry e = entries.get(i); // deepest first, so a read-only directory is set last
        if (e.attrs().isDirectory()) {
          root.setPermissions(e.target(), e.attrs().permissions());
        }
      }
    }
  }
}
