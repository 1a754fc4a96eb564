package org.warder.client.bundle;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.warder.client.host.DirectoryTrees;
import org.warder.client.storage.Storage;

/**
 * Lays an incremental tar bundle over a tree: first the paths of {@code deleted.list} go, then the
 * extracted changed paths are copied over ({@code cp -a}, which keeps modes, owners, links and
 * times). A listed path that is absolute, has a {@code ..} or empty segment, or lies below a
 * symlink is refused before anything is removed: nothing outside the tree is touched. Stateless.
 */
final class TreePatch {
  private static final int MAX_PATH = 4096;

  private TreePatch() {}

  /**
   * Applies {@code deletedList} (NUL-terminated paths) and then {@code changed} to {@code root}.
   */
  static void apply(Path root, Path deletedList, Path changed, Storage storage)
      throws BadBundleException, IOException, InterruptedException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(deletedList))) {
      for (String path = next(in); path != null; path = next(in)) {
        remove(root, path);
      }
    }
    storage.copyInto(changed, root);
  }

  private static String next(InputStream in) throws IOException, BadBundleException {
    ByteArrayOutputStream name = new ByteArrayOutputStream();
    for (int b = in.read(); b != 0; b = in.read()) {
      if (b < 0) {
        if (name.size() > 0) {
          throw new BadBundleException(
              "deleted.list: expected NUL-terminated paths, found a last path without its NUL");
        }
        return null;
      }
      if (name.size() >= MAX_PATH) {
        throw new BadBundleException(
            "deleted.list: expected paths of at most " + MAX_PATH + " bytes, found a longer one");
      }
      name.write(b);
    }
    return name.toString(StandardCharsets.UTF_8);
  }

  private static void remove(Path root, String path) throws BadBundleException, IOException {
    List<String> segments = List.of(path.split("/", -1));
    if (path.isEmpty()
        || path.startsWith("/")
        || segments.contains("..")
        || segments.contains("")
        || segments.contains(".")) {
      throw new BadBundleException(
          "deleted.list: expected a path relative to the jail root without \"..\", \".\""
              + " or empty segments, found \""
              + path
              + "\"; nothing was changed beyond the paths before it");
    }
    Path target = root;
    for (int i = 0; i < segments.size() - 1; i++) {
      target = target.resolve(segments.get(i));
      if (Files.isSymbolicLink(target) || !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        return; // gone already, or below a symlink: nothing of it is in this tree to remove
      }
    }
    target = target.resolve(segments.get(segments.size() - 1));
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      DirectoryTrees.delete(target);
    } else {
      Files.deleteIfExists(target);
    }
  }
}
