package org.warder.client.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandRunner;
import org.warder.client.freebsd.FreeBsdCommands;
import org.warder.client.host.DirectoryTrees;
import org.warder.signing.AtomicFiles;

/**
 * Storage as plain directories under the warder root (no ZFS): copies ({@code cp -a}, which keeps
 * modes, owners, links and, on FreeBSD, file flags) instead of clones, and no {@link Snapshots}. On
 * FreeBSD the system immutable flag is cleared before a tree is removed.
 */
public final class DirStorage implements Storage {
  private final Path root;
  private final CommandRunner runner;
  private final boolean freebsd;

  public DirStorage(Path root, CommandRunner runner, boolean freebsd) {
    this.root = root;
    this.runner = runner;
    this.freebsd = freebsd;
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
  public void clearImmutableFlags(Path path) throws IOException, InterruptedException {
    if (freebsd) {
      runner.check(Command.of(FreeBsdCommands.chflagsNoSchg(path)));
    }
  }

  @Override
  public Path create(String name) throws IOException {
    Path p = path(name);
    Files.createDirectories(p.getParent());
    Files.createDirectory(p);
    return p;
  }

  @Override
  public void destroy(String name) throws IOException, InterruptedException {
    Path p = path(name);
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    clearImmutableFlags(p);
    DirectoryTrees.delete(p);
  }

  @Override
  public void rename(String from, String to) throws IOException {
    Files.createDirectories(path(to).getParent());
    AtomicFiles.move(path(from), path(to));
  }

  @Override
  public Path cloneOf(String source, String snapshot, String target)
      throws IOException, InterruptedException {
    return copyOf(source, target);
  }

  @Override
  public Path copyOf(String source, String target) throws IOException, InterruptedException {
    Path to = create(target);
    runner.check(copyCommand(path(source), to));
    return to;
  }

  /** {@code cp -a SOURCE/. TARGET/}: the copy this storage makes (also shown in plans). */
  public static Command copyCommand(Path source, Path target) {
    return Command.of("cp", "-a", source + "/.", target + "/");
  }

  @Override
  public Optional<Snapshots> snapshots() {
    return Optional.empty(); // copies have no snapshots
  }

  @Override
  public List<String> clonesOf(String name) {
    return List.of(); // copies are independent of their source
  }

  @Override
  public void setReadOnly(String name, boolean readOnly) {
    // warder itself refuses to start or change a template; plain directories carry no flag
  }

  @Override
  public void copyInto(Path from, Path to) throws IOException, InterruptedException {
    runner.check(DirStorage.copyCommand(from, to));
  }

  @Override
  public String kind() {
    return "dir";
  }
}
