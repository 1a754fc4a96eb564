package org.warder.client.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.warder.client.archive.ArchiveException;
import org.warder.client.archive.TarExtractor;
import org.warder.client.host.DirectoryTrees;

/**
 * The files of a jail directory ({@code jails/NAME/}, beside {@code root/}) that may travel in a
 * bundle: the regular files warder knows ({@link #FILES}) and the plugin artifact's tree under
 * {@code plugin/}, nothing else. What warder writes on each host itself (fstab, jail.conf,
 * console.log, tag indexes) never comes from a bundle, and neither does a symbolic link, a hard
 * link, a device node or a FIFO: every one of those would make a host-side open or write of a
 * warder file land somewhere the bundle chose. Stateless.
 */
public final class JailDirectoryFiles {
  /** The regular files of a jail directory a bundle carries. */
  public static final List<String> FILES =
      List.of("config.json", "manifest.json", "plugin.json", "devfs.json");

  /** The plugin artifact's checkout: regular files and directories only. */
  public static final String PLUGIN = "plugin";

  /** The jail's own devfs rules; they come only with devfs_ruleset. */
  public static final String DEVFS_RULES = "devfs.json";

  /** Names warder writes itself on each host; an iocage jail directory must not hold them. */
  private static final Set<String> WARDER_OWN =
      Set.of("manifest.json", "plugin.json", "devfs.json", "jail.conf", "console.log", "tags");

  private static final String SCRATCH = ".files";

  private JailDirectoryFiles() {}

  /**
   * Whether {@code relative}, a regular file's path inside the jail directory, is one a bundle
   * carries.
   */
  public static boolean carried(Path relative) {
    return relative.getNameCount() == 1 ? FILES.contains(relative.toString()) : isPlugin(relative);
  }

  private static boolean isPlugin(Path relative) {
    return relative.getName(0).toString().equals(PLUGIN);
  }

  /**
   * Extracts files.tar into the (new, empty but for {@code root/}) jail directory {@code dir}:
   * first into a scratch directory beside, where {@link TarExtractor} already refuses names leaving
   * it, devices and FIFOs; then every entry is checked (a carried name, a regular file with one
   * link or a directory) and only then moved into place.
   *
   * @throws BadBundleException naming the first entry refused
   */
  public static void unpack(TarExtractor extractor, InputStream tar, Path dir)
      throws ArchiveException, BadBundleException, IOException {
    Path scratch = dir.resolve(SCRATCH);
    Files.createDirectory(scratch);
    try {
      extractor.extract(tar, scratch);
      check(
          scratch,
          JailDirectoryFiles::carried,
          Set.of(),
          "files.tar",
          "a bundle carries only "
              + String.join(", ", FILES)
              + " and "
              + PLUGIN
              + "/ of the jail directory");
      try (var entries = Files.list(scratch)) {
        for (Path p : entries.toList()) {
          Files.move(p, dir.resolve(p.getFileName().toString()), LinkOption.NOFOLLOW_LINKS);
        }
      }
    } finally {
      DirectoryTrees.delete(scratch);
    }
  }

  /**
   * Checks an iocage jail directory received from a zip, leaving out the mount points of the
   * datasets received under it ({@code root} and any other): iocage's config.json and fstab, its
   * copy of the plugin manifest ({@code NAME.json}) and its {@code plugin/} checkout, as regular
   * files and directories; no name warder writes itself (jail.conf, console.log, devfs.json, ...).
   */
  public static void checkIocage(Path dir, Set<String> datasets, String zip)
      throws BadBundleException, IOException {
    Predicate<Path> known =
        rel -> {
          String name = rel.toString();
          return rel.getNameCount() == 1
              ? name.equals("config.json")
                  || name.equals("fstab")
                  || (name.endsWith(".json") && !WARDER_OWN.contains(name))
              : isPlugin(rel);
        };
    check(
        dir,
        known,
        datasets,
        "the jail directory of " + zip,
        "an iocage jail directory holds config.json, fstab,"
            + " the plugin's NAME.json and plugin/; remove the others on the iocage host and export again;"
            + " nothing was imported");
  }

  /**
   * Walks {@code dir} without following links; refuses the first entry that is not a known regular
   * file, a directory under plugin/, or one of the {@code skipped} top-level directories.
   */
  private static void check(
      Path dir, Predicate<Path> knownFile, Set<String> skipped, String where, String rule)
      throws BadBundleException, IOException {
    List<String> refused = new ArrayList<>();
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            if (d.equals(dir)) {
              return FileVisitResult.CONTINUE;
            }
            Path rel = dir.relativize(d);
            if (rel.getNameCount() == 1 && skipped.contains(rel.toString())) {
              return FileVisitResult
                  .SKIP_SUBTREE; // a received dataset's mount point: the jail's own content
            }
            if (!isPlugin(rel)) {
              refused.add(rel + " (a directory warder does not know)");
              return FileVisitResult.TERMINATE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
            Path rel = dir.relativize(f);
            String kind = kind(f, attrs);
            if (!kind.isEmpty()) {
              refused.add(rel + " (" + kind + ")");
            } else if (!knownFile.test(rel)) {
              refused.add(rel + " (a file warder does not know)");
            }
            return refused.isEmpty() ? FileVisitResult.CONTINUE : FileVisitResult.TERMINATE;
          }
        });
    if (!refused.isEmpty()) {
      throw new BadBundleException(
          where
              + " holds "
              + refused.get(0)
              + "; expected only regular files and"
              + " directories warder knows: "
              + rule);
    }
  }

  /** Empty for a regular file with a single link; otherwise what it is. */
  private static String kind(Path f, BasicFileAttributes attrs) throws IOException {
    if (attrs.isSymbolicLink()) {
      return "a symbolic link to " + Files.readSymbolicLink(f);
    }
    if (!attrs.isRegularFile()) {
      return "a device node, FIFO or socket";
    }
    if (((Number) Files.getAttribute(f, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue() != 1) {
      return "a hard link";
    }
    return "";
  }
}
