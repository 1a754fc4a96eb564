package org.warder.client.freebsd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A jail's fstab (jail(8) mount.fstab): the base-jail nullfs lines, linprocfs, and parsing. Paths
 * with whitespace or control characters are refused: fstab(5) separates fields with whitespace and
 * FreeBSD documents no escape for it.
 */
public final class Fstab {
  /**
   * The directories a base jail mounts read-only from its origin (iocage's list, "FreeBSD Mastery:
   * Jails" chapter 6); everything else (etc, usr/local, var, root, home) stays the jail's.
   */
  public static final List<String> BASE_DIRS =
      List.of(
          "bin",
          "boot",
          "lib",
          "libexec",
          "rescue",
          "sbin",
          "usr/bin",
          "usr/include",
          "usr/lib",
          "usr/libexec",
          "usr/sbin",
          "usr/share",
          "usr/libdata",
          "usr/lib32");

  private Fstab() {}

  /**
   * The nullfs ro entries of a base jail: {@code origin/DIR} on {@code jailRoot/DIR} for each of
   * {@link #BASE_DIRS}.
   */
  public static List<FstabEntry> baseJailEntries(Path origin, Path jailRoot) {
    List<FstabEntry> out = new ArrayList<>();
    for (String dir : BASE_DIRS) {
      out.add(
          new FstabEntry(
              field(origin.resolve(dir)), field(jailRoot.resolve(dir)), "nullfs", "ro", 0, 0));
    }
    return List.copyOf(out);
  }

  /**
   * The linprocfs entry for mount_linprocfs=1: {@code linprocfs} on {@code
   * jailRoot/compat/linux/proc}.
   */
  public static FstabEntry linprocfs(Path jailRoot) {
    return new FstabEntry(
        "linprocfs", field(jailRoot.resolve("compat/linux/proc")), "linprocfs", "rw", 0, 0);
  }

  /** Entries as fstab text, one line each, each ending in a newline. */
  public static String render(List<FstabEntry> entries) {
    StringBuilder out = new StringBuilder();
    for (FstabEntry e : entries) {
      out.append(e.toLine()).append('\n');
    }
    return out.toString();
  }

  /** The entries of fstab {@code text}; blank lines and {@code #} comments are skipped. */
  public static List<FstabEntry> parse(String text) throws FreeBsdInputException {
    List<FstabEntry> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int hash = line.indexOf('#');
      String content = (hash >= 0 ? line.substring(0, hash) : line).trim();
      if (content.isEmpty()) {
        continue;
      }
      String[] f = content.split("[ \t]+");
      if (f.length < 4
          || f.length > 6
          || (f.length > 4 && !f[4].matches("[0-9]{1,3}"))
          || (f.length > 5 && !f[5].matches("[0-9]{1,3}"))) {
        throw new FreeBsdInputException(
            "fstab",
            "fstab line "
                + (i + 1)
                + ": expected 'source mountpoint type options [dump [pass]]', found '"
                + Args.show(line)
                + "'");
      }
      out.add(
          new FstabEntry(
              f[0],
              f[1],
              f[2],
              f[3],
              f.length > 4 ? Integer.parseInt(f[4]) : 0,
              f.length > 5 ? Integer.parseInt(f[5]) : 0));
    }
    return List.copyOf(out);
  }

  private static String field(Path path) {
    String p = Args.path(path);
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "an fstab path cannot hold whitespace or control characters: " + Args.show(p));
      }
    }
    return p;
  }
}
