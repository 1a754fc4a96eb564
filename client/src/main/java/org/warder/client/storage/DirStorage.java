package org.warder.client.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.warder.signing.AtomicFiles;

/** Storage as plain directories under the warder root (no ZFS): copies instead of clones. */
public final class DirStorage implements Storage {
  private final Path root;

  public DirStorage(Path root) {
    this.root = root;
  }

  @Override
  public Path path(String name) {
    return root.resolve(name);
  }

  @Override
  public boolean exists(String name) {
    return Files.isDirectory(path(name), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public Path create(String name) throws IOException {
    Path p = path(name);
    Files.createDirectories(p.getParent());
    Files.createDirectory(p);
    return p;
  }

  @Override
  public void destroy(String name) throws IOException {
    Path p = path(name);
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
          f.toFile().setWritable(true, true); // read-only directories (0555) must still go
        }
        Files.delete(f);
      }
    }
  }

  @Override
  public void rename(String from, String to) throws IOException {
    AtomicFiles.move(path(from), path(to));
  }

  @Override
  public String kind() {
    return "dir";
  }
}
