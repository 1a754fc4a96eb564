package org.warder.client.plugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The entries of one commit's tree of a plugin artifact, checked against what a checkout may write:
 * names that are plain path segments (no {@code .}, {@code ..}, {@code .git}, control characters),
 * regular or executable files, directories, and symbolic links whose relative target stays inside
 * the tree however the tree's other links resolve (absolute targets are refused); no submodules;
 * bounded total size and entry count. Publishers and clients apply the same rules. Thread-safe
 * (stateless).
 */
public final class ArtifactTree {
  /** Longest symbolic link target read. */
  private static final int MAX_LINK = 1024;

  /** Link expansions while resolving one target before it counts as a loop (as ELOOP). */
  private static final int MAX_EXPANSIONS = 40;

  private ArtifactTree() {}

  /** What an entry is. */
  public enum Kind {
    DIRECTORY,
    FILE,
    EXECUTABLE,
    SYMLINK
  }

  /**
   * One entry, in tree order (a directory before what it holds).
   *
   * @param path '/'-separated path relative to the tree's root
   * @param kind what to create
   * @param object the git object (blob or tree)
   * @param size file size in bytes; 0 for directories and links
   * @param linkTarget the target of a symbolic link; empty otherwise
   */
  public record Entry(String path, Kind kind, ObjectId object, long size, String linkTarget) {}

  /**
   * How much one artifact may hold.
   *
   * @param maxBytes total size of its files
   * @param maxEntries files, directories and links together
   */
  public record Limits(long maxBytes, int maxEntries) {
    /**
     * 1 GiB and 100,000 entries: far above real plugin artifacts (the Nextcloud one is 40 files).
     */
    public static Limits defaults() {
      return new Limits(1L << 30, 100_000);
    }
  }

  /** The checked entries of {@code commit}'s tree. */
  public static List<Entry> read(ObjectReader reader, RevCommit commit, Limits limits)
      throws IOException, UnsafeArtifactException, ArtifactTooLargeException {
    List<Entry> entries = new ArrayList<>();
    Map<String, String> links = new LinkedHashMap<>();
    long total = 0;
    try (TreeWalk walk = new TreeWalk(reader)) {
      walk.addTree(commit.getTree());
      walk.setRecursive(false);
      while (walk.next()) {
        String path = walk.getPathString();
        checkName(walk.getNameString(), path);
        if (entries.size() >= limits.maxEntries()) {
          throw new ArtifactTooLargeException(
              "expected at most "
                  + limits.maxEntries()
                  + " entries in artifact commit "
                  + commit.name()
                  + ", found more; an artifact holds scripts and an overlay, not a whole tree");
        }
        FileMode mode = walk.getFileMode(0);
        ObjectId id = walk.getObjectId(0);
        if (mode == FileMode.TREE) {
          entries.add(new Entry(path, Kind.DIRECTORY, id, 0, ""));
          walk.enterSubtree();
        } else if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
          long size = reader.getObjectSize(id, Constants.OBJ_BLOB);
          total += size;
          if (total > limits.maxBytes()) {
            throw new ArtifactTooLargeException(
                "expected at most "
                    + limits.maxBytes()
                    + " bytes of files in artifact"
                    + " commit "
                    + commit.name()
                    + ", found more at "
                    + path
                    + "; keep large data out of the artifact");
          }
          entries.add(
              new Entry(
                  path, mode == FileMode.REGULAR_FILE ? Kind.FILE : Kind.EXECUTABLE, id, size, ""));
        } else if (mode == FileMode.SYMLINK) {
          String target = linkTarget(reader, id, path);
          links.put(path, target);
          entries.add(new Entry(path, Kind.SYMLINK, id, 0, target));
        } else {
          throw new UnsafeArtifactException(
              "expected files, directories and symbolic links in artifact commit "
                  + commit.name()
                  + ", found "
                  + describe(mode)
                  + " at "
                  + path
                  + "; vendor a submodule's files into the artifact instead");
        }
      }
    }
    for (Map.Entry<String, String> link : links.entrySet()) {
      checkInside(links, link.getKey(), commit);
    }
    return entries;
  }

  private static String linkTarget(ObjectReader reader, ObjectId id, String path)
      throws IOException, UnsafeArtifactException {
    long size = reader.getObjectSize(id, Constants.OBJ_BLOB);
    if (size == 0 || size > MAX_LINK) {
      throw new UnsafeArtifactException(
          "expected a symbolic link target of 1 to "
              + MAX_LINK
              + " bytes at "
              + path
              + ", found "
              + size
              + " bytes");
    }
    String target =
        new String(
            reader.open(id, Constants.OBJ_BLOB).getCachedBytes(MAX_LINK), StandardCharsets.UTF_8);
    if (target.startsWith("/")) {
      throw new UnsafeArtifactException(
          "expected a relative symbolic link at "
              + path
              + ", found the absolute target "
              + PluginTargets.quote(target)
              + "; it would point into the host when the artifact is copied, make it"
              + " relative");
    }
    if (target.chars().anyMatch(c -> c == 0 || Character.isISOControl(c))) {
      throw new UnsafeArtifactException(
          "expected a symbolic link target without control characters at "
              + path
              + ", found "
              + PluginTargets.quote(target));
    }
    return target;
  }

  private static void checkName(String name, String path) throws UnsafeArtifactException {
    boolean control = name.chars().anyMatch(Character::isISOControl);
    String lower = name.toLowerCase(Locale.ROOT);
    if (name.isEmpty()
        || name.equals(".")
        || name.equals("..")
        || lower.equals(".git")
        || name.contains("/")
        || control) {
      throw new UnsafeArtifactException(
          "expected a plain file name in the artifact tree, found "
              + PluginTargets.quote(path)
              + "; '.', '..', '.git', '/' and control characters cannot be written safely");
    }
  }

  /**
   * Resolves the link at {@code linkPath} the way the kernel would, following the tree's other
   * links, and refuses it if it climbs above the tree's root or loops.
   */
  private static void checkInside(Map<String, String> links, String linkPath, RevCommit commit)
      throws UnsafeArtifactException {
    Deque<String> at = new ArrayDeque<>(List.of(linkPath.split("/")));
    at.removeLast();
    Deque<String> pending =
        new ArrayDeque<>(List.of(java.util.Objects.requireNonNull(links.get(linkPath)).split("/")));
    int expansions = 0;
    while (!pending.isEmpty()) {
      String segment = pending.pollFirst();
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (at.isEmpty()) {
          throw escape(linkPath, links.get(linkPath), commit);
        }
        at.removeLast();
        continue;
      }
      at.addLast(segment);
      String target = links.get(String.join("/", at));
      if (target != null) {
        if (++expansions > MAX_EXPANSIONS) {
          throw new UnsafeArtifactException(
              "expected the symbolic link "
                  + linkPath
                  + " to resolve, found a loop"
                  + " of links in artifact commit "
                  + commit.name());
        }
        at.removeLast();
        List<String> parts = List.of(target.split("/"));
        for (int i = parts.size() - 1; i >= 0; i--) {
          pending.addFirst(parts.get(i));
        }
      }
    }
  }

  private static UnsafeArtifactException escape(String path, String target, RevCommit commit) {
    return new UnsafeArtifactException(
        "expected the symbolic link "
            + path
            + " to stay inside the artifact, found"
            + " the target "
            + PluginTargets.quote(target)
            + " which leaves it (commit "
            + commit.name()
            + "); point links only at files of the artifact");
  }

  private static String describe(FileMode mode) {
    return mode == FileMode.GITLINK
        ? "a submodule"
        : "an entry of mode " + Integer.toOctalString(mode.getBits());
  }
}
