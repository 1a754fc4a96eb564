package org.warder.client.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandFailedException;
import org.warder.client.exec.CommandResult;
import org.warder.client.exec.CommandRunner;
import org.warder.client.freebsd.FreeBsdCommands;

/**
 * Storage as ZFS datasets below a base dataset mounted at the warder root ({@code warder
 * activate}): {@code releases/14.2-RELEASE} is {@code <base>/releases/14.2-RELEASE}. Every
 * operation is one {@code zfs} command run through the {@link CommandRunner}.
 *
 * <p>zfs-fuse (Linux CI) cannot rename or destroy a mounted dataset ("dataset is busy"), and
 * reports a dataset busy for a moment after its files were used. With {@code zfsFuse} the adapter
 * unmounts (deepest first) before renaming or destroying, mounts again after a rename, and retries
 * an unmount, rename or destroy that finds the dataset busy. FreeBSD's OpenZFS does all this
 * itself, so production FreeBSD runs without it.
 */
public final class ZfsStorage implements Storage, Snapshots {
  private final CommandRunner runner;
  private final String base;
  private final Path root;
  private final boolean zfsFuse;

  public ZfsStorage(CommandRunner runner, String base, Path root, boolean zfsFuse) {
    this.runner = runner;
    this.base = base;
    this.root = root;
    this.zfsFuse = zfsFuse;
  }

  @Override
  public void clearImmutableFlags(Path path) throws IOException, InterruptedException {
    if (!zfsFuse) {
      runner.check(Command.of(FreeBsdCommands.chflagsNoSchg(path)));
    }
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
    if (!exists(name)) {
      return;
    }
    if (!zfsFuse) {
      runner.check(Command.of("zfs", "destroy", "-r", dataset(name)));
      return;
    }
    unmountTree(dataset(name));
    checkRetryingBusy(Command.of("zfs", "destroy", "-r", dataset(name)));
  }

  @Override
  public void rename(String from, String to) throws IOException, InterruptedException {
    createParent(to);
    if (!zfsFuse) {
      runner.check(Command.of("zfs", "rename", dataset(from), dataset(to)));
      return;
    }
    List<String> tree = unmountTree(dataset(from));
    checkRetryingBusy(Command.of("zfs", "rename", dataset(from), dataset(to)));
    for (String ds : tree) {
      runner.check(Command.of("zfs", "mount", dataset(to) + ds.substring(dataset(from).length())));
    }
  }

  /** Makes sure the parent dataset of {@code name} exists. */
  private void createParent(String name) throws IOException, InterruptedException {
    if (name.contains("/")) {
      runner.check(
          Command.of("zfs", "create", "-p", dataset(name.substring(0, name.lastIndexOf('/')))));
    }
  }

  /** Unmounts {@code dataset} and its descendants, deepest first; returns them parents first. */
  private List<String> unmountTree(String dataset) throws IOException, InterruptedException {
    List<String> tree = new ArrayList<>();
    CommandResult list = runner.check(Command.of("zfs", "list", "-H", "-r", "-o", "name", dataset));
    list.stdout().lines().filter(l -> !l.isBlank()).forEach(tree::add);
    for (int i = tree.size() - 1; i >= 0; i--) {
      Command umount = Command.of("zfs", "umount", tree.get(i));
      CommandResult result = runRetryingBusy(umount);
      // "does not exist": zfs-fuse removing an aborted receive's dataset by itself, meanwhile
      if (!result.ok()
          && !result.stderr().contains("not currently mounted")
          && !result.stderr().contains("does not exist")) {
        throw new CommandFailedException(umount, result);
      }
    }
    return tree;
  }

  /**
   * Runs {@code command} again while zfs-fuse answers "dataset is busy" (it does so for a few
   * seconds after heavy writes, and after its files were last used), backing off up to about 10 s.
   */
  private CommandResult runRetryingBusy(Command command) throws IOException, InterruptedException {
    CommandResult result = runner.run(command);
    for (int attempt = 1;
        !result.ok() && result.stderr().contains("busy") && attempt < 14;
        attempt++) {
      Thread.sleep(100L * attempt);
      result = runner.run(command);
    }
    return result;
  }

  private void checkRetryingBusy(Command command) throws IOException, InterruptedException {
    CommandResult result = runRetryingBusy(command);
    if (!result.ok()) {
      throw new CommandFailedException(command, result);
    }
  }

  @Override
  public Path cloneOf(String source, String snapshot, String target)
      throws IOException, InterruptedException {
    runner.check(Command.of("zfs", "snapshot", dataset(source) + "@" + snapshot));
    return cloneSnapshot(source, snapshot, target);
  }

  @Override
  public Path cloneSnapshot(String source, String snapshot, String target)
      throws IOException, InterruptedException {
    runner.check(
        Command.of("zfs", "clone", "-p", dataset(source) + "@" + snapshot, dataset(target)));
    return path(target);
  }

  @Override
  public Path copyOf(String source, String target) throws IOException, InterruptedException {
    String snap = "warder-copy";
    runner.check(Command.of("zfs", "snapshot", dataset(source) + "@" + snap));
    try {
      createParent(target);
      runner.pipe(
          Command.of("zfs", "send", dataset(source) + "@" + snap),
          Command.of("zfs", "receive", dataset(target)));
      runner.check(Command.of("zfs", "destroy", dataset(target) + "@" + snap));
    } finally {
      runner.run(Command.of("zfs", "destroy", dataset(source) + "@" + snap));
    }
    return path(target);
  }

  @Override
  public Optional<Snapshots> snapshots() {
    return Optional.of(this);
  }

  @Override
  public void snapshot(String name, String snapshot) throws IOException, InterruptedException {
    runner.check(Command.of("zfs", "snapshot", dataset(name) + "@" + snapshot));
  }

  /** {@code zfs get -Hp -o value compressratio,reservation,quota,used,available DATASET}. */
  @Override
  public DiskUsage usage(String name) throws IOException, InterruptedException {
    CommandResult r =
        runner.check(
            Command.of(
                "zfs",
                "get",
                "-Hp",
                "-o",
                "value",
                "compressratio,reservation,quota,used,available",
                dataset(name)));
    List<String> v = r.stdout().lines().map(String::strip).toList();
    if (v.size() != 5) {
      throw new IOException(
          "zfs get of "
              + dataset(name)
              + ": expected 5 values, found '"
              + r.stdout().strip()
              + "'");
    }
    return new DiskUsage(
        Optional.of(v.get(0).endsWith("x") ? v.get(0) : v.get(0) + "x"),
        bytes(v.get(1)),
        bytes(v.get(2)),
        bytes(v.get(3)),
        bytes(v.get(4)));
  }

  private static java.util.OptionalLong bytes(String value) {
    return value.matches("[0-9]{1,19}")
        ? java.util.OptionalLong.of(Long.parseLong(value))
        : java.util.OptionalLong.empty();
  }

  @Override
  public void renameSnapshot(String name, String from, String to)
      throws IOException, InterruptedException {
    runner.check(Command.of("zfs", "rename", dataset(name) + "@" + from, dataset(name) + "@" + to));
  }

  @Override
  public void destroySnapshot(String name, String snapshot)
      throws IOException, InterruptedException {
    if (list(name).contains(snapshot)) {
      runner.check(Command.of("zfs", "destroy", dataset(name) + "@" + snapshot));
    }
  }

  @Override
  public List<String> list(String name) throws IOException, InterruptedException {
    String prefix = dataset(name) + "@";
    return runner
        .check(Command.of("zfs", "list", "-H", "-t", "snapshot", "-o", "name", "-s", "creation"))
        .stdout()
        .lines()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .toList();
  }

  @Override
  public void send(String name, String snapshot, Optional<String> from, OutputStream out)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("zfs", "send"));
    from.ifPresent(f -> argv.addAll(List.of("-i", "@" + f)));
    argv.add(dataset(name) + "@" + snapshot);
    runner.stream(Command.of(argv), stdout -> stdout.transferTo(out));
  }

  /**
   * Receives {@code in} as {@code name} and takes none of its dataset properties: the stream's
   * begin record is read and checked ({@link SendStreamBegin}) before {@code zfs receive} starts,
   * so a stream that carries properties ({@code zfs send -p}, {@code -R}, {@code -I}) never reaches
   * it; on FreeBSD {@code zfs receive -u} also leaves the dataset unmounted and {@code -x}/{@code
   * -o} override what acts on the host. zfs-fuse has none of these options and mounts at once,
   * which the check of the begin record makes safe. Then the received datasets' effective
   * properties are checked ({@link #checkReceived}) before FreeBSD mounts them, below the warder
   * root only.
   */
  @Override
  public void receive(String name, InputStream in) throws IOException, InterruptedException {
    createParent(name);
    boolean existed = exists(name);
    InputStream checked = SendStreamBegin.checked(in);
    runner.feed(Command.of(receiveArgv(dataset(name))), stdin -> checked.transferTo(stdin));
    List<String> unmounted = checkReceived(name, existed);
    for (String ds : unmounted) {
      runner.check(Command.of("zfs", "mount", ds));
    }
  }

  /**
   * The properties whose value on a received dataset could act on the host (and {@code mounted}).
   */
  private List<String> hostProperties() {
    return List.of(
        "mountpoint",
        "canmount",
        "sharenfs",
        "sharesmb",
        "devices",
        "setuid",
        "exec",
        zfsFuse ? "zoned" : "jailed",
        "quota",
        "refquota",
        "reservation",
        "refreservation",
        "mounted");
  }

  private List<String> receiveArgv(String dataset) {
    if (zfsFuse) {
      return List.of("zfs", "receive", dataset); // zfs-fuse knows no -u, -o or -x
    }
    List<String> argv = new ArrayList<>(List.of("zfs", "receive", "-u"));
    for (String p :
        List.of("mountpoint", "sharenfs", "sharesmb", "devices", "setuid", "exec", "jailed")) {
      argv.addAll(List.of("-x", p));
    }
    argv.addAll(List.of("-o", "canmount=on", dataset));
    return argv;
  }

  /**
   * Checks the effective properties of {@code name} and its descendants after a receive: each
   * mounts at its own path below the warder root (its mountpoint inherited), may mount, and has
   * every other property of {@link #hostProperties} from its default or an ancestor, none set by
   * the stream. Otherwise a newly received {@code name} is destroyed again and the receive is
   * refused. Returns the datasets that are not mounted yet, parents first.
   */
  List<String> checkReceived(String name, boolean existed)
      throws IOException, InterruptedException {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "zfs",
                "get",
                "-H",
                "-r",
                "-o",
                "name,property,value,source",
                String.join(",", hostProperties()),
                dataset(name)));
    List<String> wrong = new ArrayList<>();
    List<String> unmounted = new ArrayList<>();
    for (String line : runner.check(Command.of(argv)).stdout().lines().toList()) {
      String[] col = line.split("\t", -1);
      if (col.length != 4 || col[0].contains("@") || !col[0].startsWith(base + "/")) {
        continue; // snapshots have no mount or share properties
      }
      String ds = col[0];
      String value = col[2];
      String source = col[3];
      boolean fromAbove = source.equals("default") || source.startsWith("inherited from ");
      boolean ok =
          switch (col[1]) {
            case "mountpoint" ->
                fromAbove && value.equals(path(ds.substring(base.length() + 1)).toString());
            case "canmount" -> value.equals("on");
            case "mounted" -> {
              if (value.equals("no")) {
                unmounted.add(ds);
              }
              yield true;
            }
            default -> fromAbove;
          };
      if (!ok) {
        wrong.add(ds + " " + col[1] + "=" + value + " (" + source + ")");
      }
    }
    if (!wrong.isEmpty()) {
      if (!existed) {
        destroy(name);
      }
      throw new RefusedStreamException(
          "expected the received dataset to mount at its own path below "
              + root
              + " and to take no property from the stream, found "
              + String.join(", ", wrong)
              + "; warder never lets"
              + " a stream's properties act on this host: "
              + (existed
                  ? "the receive into " + dataset(name) + " is refused"
                  : dataset(name) + " was destroyed again"));
    }
    return unmounted;
  }

  @Override
  public void rollback(String name, String snapshot) throws IOException, InterruptedException {
    runner.check(Command.of("zfs", "rollback", "-r", dataset(name) + "@" + snapshot));
  }

  @Override
  public List<String> clonesOf(String name) throws IOException, InterruptedException {
    String prefix = dataset(name) + "@";
    List<String> out = new ArrayList<>();
    for (String line :
        runner
            .check(Command.of("zfs", "list", "-H", "-r", "-o", "name,origin", base))
            .stdout()
            .lines()
            .toList()) {
      String[] cols = line.split("\t");
      if (cols.length == 2 && cols[1].startsWith(prefix) && cols[0].startsWith(base + "/")) {
        out.add(cols[0].substring(base.length() + 1));
      }
    }
    return out;
  }

  @Override
  public void setReadOnly(String name, boolean readOnly) throws IOException, InterruptedException {
    runner.check(Command.of("zfs", "set", "readonly=" + (readOnly ? "on" : "off"), dataset(name)));
  }

  @Override
  public void copyInto(Path from, Path to) throws IOException, InterruptedException {
    runner.check(DirStorage.copyCommand(from, to));
  }

  @Override
  public String kind() {
    return "zfs";
  }
}
