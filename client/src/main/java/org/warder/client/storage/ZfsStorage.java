package org.warder.client.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandResult;
import org.warder.client.exec.CommandRunner;

/**
 * Storage as ZFS datasets below a base dataset mounted at the warder root ({@code warder
 * activate}): {@code releases/14.2-RELEASE} is {@code <base>/releases/14.2-RELEASE}. Every
 * operation is one {@code zfs} command run through the {@link CommandRunner}.
 *
 * <p>zfs-fuse (Linux CI) cannot rename a mounted dataset ("dataset is busy"); with {@code
 * unmountToRename} the adapter unmounts, renames and mounts again. FreeBSD's OpenZFS renames
 * mounted datasets itself, so production FreeBSD runs without it.
 */
public final class ZfsStorage implements Storage {
  private final CommandRunner runner;
  private final String base;
  private final Path root;
  private final boolean unmountToRename;

  public ZfsStorage(CommandRunner runner, String base, Path root, boolean unmountToRename) {
    this.runner = runner;
    this.base = base;
    this.root = root;
    this.unmountToRename = unmountToRename;
  }

  /** The dataset of {@code name}. */
  public String dataset(String name) {
    return base + "/" + name;
  }

  @Override
  public Path path(String name) {
    return root.resolve(name);
  }

  @Override
  public boolean exists(String name) throws IOException, InterruptedException {
    return runner.run(Command.of("zfs", "list", "-H", "-o", "name", dataset(name))).ok();
  }

  @Override
  public Path create(String name) throws IOException, InterruptedException {
    runner.check(Command.of("zfs", "create", "-p", dataset(name)));
    return path(name);
  }

  @Override
  public void destroy(String name) throws IOException, InterruptedException {
    if (exists(name)) {
      runner.check(Command.of("zfs", "destroy", "-r", dataset(name)));
    }
  }

  @Override
  public void rename(String from, String to) throws IOException, InterruptedException {
    if (!unmountToRename) {
      runner.check(Command.of("zfs", "rename", dataset(from), dataset(to)));
      return;
    }
    List<String> mounted = new ArrayList<>();
    CommandResult list = runner.check(Command.of("zfs", "list", "-H", "-r", "-o", "name", dataset(from)));
    list.stdout().lines().filter(l -> !l.isBlank()).forEach(mounted::add);
    for (int i = mounted.size() - 1; i >= 0; i--) {
      runner.run(Command.of("zfs", "umount", mounted.get(i)));
    }
    runner.check(Command.of("zfs", "rename", dataset(from), dataset(to)));
    for (String ds : mounted) {
      runner.check(Command.of("zfs", "mount", dataset(to) + ds.substring(dataset(from).length())));
    }
  }

  @Override
  public String kind() {
    return "zfs";
  }
}
