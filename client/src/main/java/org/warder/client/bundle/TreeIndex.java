package org.warder.client.bundle;

import com.fasterxml.jackson.core.type.TypeReference;
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
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.warder.client.digest.Sha256Tally;
import org.warder.client.state.StateFiles;
import org.warder.signing.AtomicFiles;

/**
 * What a tree held at one tag, path by path (type, mode, owner, size, time, and the sha256 of a
 * file's content or a symlink's target), kept beside a template so that its next tag can be sent as
 * the difference: the paths whose entry changed (content-level deduplication for the portable tar
 * format) and the paths that went. Immutable and thread-safe.
 *
 * @param entries relative path to entry, sorted
 */
public record TreeIndex(SortedMap<String, Entry> entries) {
  /**
   * One path.
   *
   * @param type {@code file}, {@code dir}, {@code link} or {@code other}
   * @param content a file's sha256, a symlink's target, else empty
   */
  public record Entry(
      String type, int mode, int uid, int gid, long size, long mtimeMillis, String content) {
    public Entry {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(content, "content");
    }
  }

  /**
   * The difference from a base index to this one.
   *
   * @param changed paths that are new or whose entry differs, and their directories; parents before
   *     children
   * @param removed paths of the base that are gone, or changed and not a directory in both: removed
   *     before {@code changed} is laid over, so that nothing is written through a hardlink or a
   *     symlink
   */
  public record Delta(List<String> changed, List<String> removed) {}

  public TreeIndex {
    entries = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(entries));
  }

  /** Indexes the tree under {@code root}, never following a symlink. */
  public static TreeIndex of(Path root) throws IOException {
    SortedMap<String, Entry> entries = new TreeMap<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (!dir.equals(root)) {
              add(dir, attrs);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            add(file, attrs);
            return FileVisitResult.CONTINUE;
          }

          private void add(Path p, BasicFileAttributes attrs) throws IOException {
            Map<String, Object> unix =
                Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
            String type;
            String content = "";
            if (attrs.isSymbolicLink()) {
              type = "link";
              content = Files.readSymbolicLink(p).toString();
            } else if (attrs.isDirectory()) {
              type = "dir";
            } else if (attrs.isRegularFile()) {
              type = "file";
              try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                content = Sha256Tally.of(in).sha256();
              }
            } else {
              type = "other";
            }
            entries.put(
                root.relativize(p).toString(),
                new Entry(
                    type,
                    (Integer) unix.get("mode") & 07777,
                    (Integer) unix.get("uid"),
                    (Integer) unix.get("gid"),
                    attrs.isRegularFile() ? attrs.size() : 0,
                    attrs.lastModifiedTime().toMillis(),
                    content));
          }
        });
    return new TreeIndex(entries);
  }

  /** What changed from {@code base} to this tree. */
  public Delta since(TreeIndex base) {
    List<String> changed = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      Entry before = base.entries.get(e.getKey());
      if (!e.getValue().equals(before)) {
        changed.add(e.getKey());
        if (before != null
            && (!before.type().equals("dir") || !e.getValue().type().equals("dir"))) {
          removed.add(
              e.getKey()); // replaced, never written through: it may be a hardlink or a symlink
        }
      }
    }
    for (String path : base.entries.keySet()) {
      if (!entries.containsKey(path) && !covered(removed, path)) {
        removed.add(path);
      }
    }
    // a changed path's directories travel too, so that they are laid over with their own attributes
    java.util.SortedSet<String> withParents = new java.util.TreeSet<>(changed);
    for (String path : changed) {
      for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
        withParents.add(path.substring(0, slash));
      }
    }
    return new Delta(List.copyOf(withParents), removed.stream().sorted().toList());
  }

  /** Whether {@code path} lies below a path already removed (which takes it along). */
  private static boolean covered(List<String> removed, String path) {
    return removed.stream().anyMatch(r -> path.startsWith(r + "/"));
  }

  /** Writes the index to {@code file} atomically. */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, StateFiles.mapper().writeValueAsBytes(entries));
  }

  /** Reads an index {@link #write} wrote. */
  public static TreeIndex read(Path file) throws IOException {
    return new TreeIndex(
        StateFiles.mapper()
            .readValue(file.toFile(), new TypeReference<TreeMap<String, Entry>>() {}));
  }
}
