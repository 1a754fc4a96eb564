package org.warder.client.jail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
import org.warder.client.freebsd.FreeBsdInputException;
import org.warder.client.freebsd.Fstab;
import org.warder.client.freebsd.FstabEntry;
import org.warder.client.host.ConfinedDirectory;
import org.warder.client.layout.HostLayout;
import org.warder.client.plan.Plan;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.client.runtime.JailRuntime;
import org.warder.client.runtime.Mount;

/**
 * {@code warder fstab}: the host directories a jail mounts with nullfs besides what warder mounts
 * itself (a base jail's system directories, linprocfs), kept in the jail's fstab (jail(8)
 * mount.fstab, read by the sandbox at start too) as iocage's {@code fstab -a/-r/-l} keeps them. A
 * mount point is made inside the jail's root through {@link ConfinedDirectory}, so a link in the
 * jail never leads it out; on a running jail the mount is made or removed at once where the runtime
 * can (FreeBSD), else at the next start. Not thread-safe.
 */
public final class JailFstab {
  /** An fstab warder writes holds a few dozen lines. */
  static final int MAX_FSTAB = 1 << 20;

  private final HostLayout layout;
  private final JailStore store;
  private final JailRuntime runtime;
  private final Reporter reporter;

  JailFstab(HostLayout layout, JailStore store, JailRuntime runtime, Reporter reporter) {
    this.layout = layout;
    this.store = store;
    this.runtime = runtime;
    this.reporter = reporter;
  }

  /** A mount of the user's: host directory {@code source} on {@code target} inside the jail. */
  public record UserMount(Path source, String target, boolean readOnly) {}

  /** The user's mounts of jail {@code name}, in fstab order. */
  public List<UserMount> list(String name) throws ClientException, IOException {
    Jail jail = store.get(name);
    Path root = layout.path(jail.rootName());
    List<UserMount> out = new ArrayList<>();
    for (FstabEntry e : read(jail)) {
      if (isUserMount(e, root)) {
        out.add(
            new UserMount(
                Path.of(e.source()),
                root.relativize(Path.of(e.mountPoint())).toString(),
                List.of(e.options().split(",")).contains("ro")));
      }
    }
    return out;
  }

  /**
   * Whether {@code entry} of a jail whose root is {@code root} is a user's mount: a nullfs mount
   * other than a base jail's system directories.
   */
  static boolean isUserMount(FstabEntry entry, Path root) {
    return entry.type().equals("nullfs")
        && Fstab.BASE_DIRS.stream()
            .noneMatch(d -> root.resolve(d).toString().equals(entry.mountPoint()));
  }

  /**
   * The steps that mount host directory {@code source} on {@code target} (a path inside the jail,
   * {@code /data} or {@code data}) of jail {@code name}: the mount point made in the root, the
   * fstab line added, and on a running jail the mount made now. Changes nothing.
   */
  public Plan planAdd(String name, Path source, String target, boolean readOnly)
      throws ClientException, IOException, InterruptedException {
    Jail jail = jail(name);
    Path root = layout.path(jail.rootName());
    String relative = inJail(target);
    Path src = source.toAbsolutePath().normalize();
    if (!Files.isDirectory(src)) {
      throw new JailException(
          Reason.NOT_FOUND,
          "the host directory to mount, "
              + src
              + ", "
              + (Files.exists(src) ? "is not a directory" : "does not exist")
              + "; nullfs mounts a directory: create it first");
    }
    List<FstabEntry> entries = read(jail);
    Path point = root.resolve(relative);
    if (entries.stream().anyMatch(e -> e.mountPoint().equals(point.toString()))) {
      throw new JailException(
          Reason.CONFLICT,
          name
              + " mounts something on /"
              + relative
              + " already; see 'warder fstab -l "
              + name
              + "', remove it with 'warder fstab -r "
              + name
              + " /"
              + relative
              + "' first");
    }
    FstabEntry entry =
        new FstabEntry(src.toString(), point.toString(), "nullfs", readOnly ? "ro" : "rw", 0, 0);
    if (!parsesBack(entry)) {
      throw new JailException(
          "an fstab path cannot hold whitespace, '#' or control characters; found "
              + src
              + " and /"
              + relative);
    }
    List<FstabEntry> after = new ArrayList<>(entries);
    after.add(entry);
    List<Step> steps = new ArrayList<>();
    steps.add(new MountPoint(root, relative));
    steps.add(new WriteFstab(jail, entries, after));
    if (lifecycleRunning(jail)) {
      steps.add(new LiveMount(jail, new Mount(src, point, readOnly)));
    }
    return new Plan(steps);
  }

  /** The steps that remove jail {@code name}'s mount on {@code target}. Changes nothing. */
  public Plan planRemove(String name, String target)
      throws ClientException, IOException, InterruptedException {
    Jail jail = jail(name);
    Path root = layout.path(jail.rootName());
    String relative = inJail(target);
    Path point = root.resolve(relative);
    List<FstabEntry> entries = read(jail);
    List<FstabEntry> after =
        entries.stream()
            .filter(e -> !(isUserMount(e, root) && e.mountPoint().equals(point.toString())))
            .toList();
    if (after.size() == entries.size()) {
      throw new JailException(
          Reason.NOT_FOUND,
          name
              + " has no mount of its own on /"
              + relative
              + "; see 'warder fstab -l "
              + name
              + "'");
    }
    List<Step> steps = new ArrayList<>();
    if (lifecycleRunning(jail)) {
      steps.add(new LiveUnmount(jail, point));
    }
    steps.add(new WriteFstab(jail, entries, after));
    return new Plan(steps);
  }

  /** Runs {@code plan} (from {@link #planAdd} or {@link #planRemove}). */
  public void run(Plan plan) throws ClientException, InterruptedException {
    plan.run(reporter, false, List::of);
  }

  private boolean lifecycleRunning(Jail jail) throws IOException, InterruptedException {
    return runtime.jid(jail.name()).isPresent();
  }

  private Jail jail(String name) throws ClientException, IOException {
    Jail jail = store.get(name);
    if (jail.template()) {
      throw new JailException(
          Reason.CONFLICT,
          name + " is a template and read-only; mounts belong to the jails made from it");
    }
    return jail;
  }

  /**
   * The fstab of {@code jail}, whose directory is {@code oldDir}, with the paths inside that
   * directory moved to {@code newDir} (a renamed or cloned jail's); empty when it has none.
   */
  static Optional<byte[]> moved(Jail jail, Path oldDir, Path newDir)
      throws IOException, JailException {
    Path file = oldDir.resolve("fstab");
    Optional<byte[]> bytes = JailStore.readOwnFile(file, MAX_FSTAB);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      List<FstabEntry> moved = new ArrayList<>();
      for (FstabEntry e : Fstab.parse(new String(bytes.get(), StandardCharsets.UTF_8))) {
        moved.add(
            new FstabEntry(
                movedPath(e.source(), oldDir, newDir),
                movedPath(e.mountPoint(), oldDir, newDir),
                e.type(),
                e.options(),
                e.dump(),
                e.pass()));
      }
      return Optional.of(Fstab.render(moved).getBytes(StandardCharsets.UTF_8));
    } catch (FreeBsdInputException e) {
      throw new JailException(
          file + " of " + jail.name() + " is damaged: " + e.getMessage() + "; fix or remove it", e);
    }
  }

  private static String movedPath(String path, Path oldDir, Path newDir) {
    String prefix = oldDir + "/";
    return path.startsWith(prefix) ? newDir + "/" + path.substring(prefix.length()) : path;
  }

  private static boolean parsesBack(FstabEntry entry) {
    try {
      return Fstab.parse(entry.toLine()).equals(List.of(entry));
    } catch (FreeBsdInputException e) {
      return false;
    }
  }

  /**
   * {@code target} as a path relative to the jail's root: absolute or relative, without {@code ..},
   * {@code .} or empty components, not the root itself.
   */
  static String inJail(String target) throws JailException {
    String trimmed = target.replaceAll("^/+", "").replaceAll("/+$", "");
    List<String> parts = List.of(trimmed.split("/+"));
    if (trimmed.isEmpty() || parts.stream().anyMatch(p -> p.equals("..") || p.equals("."))) {
      throw new JailException(
          "the mount point must be a directory inside the jail such as /mnt/data, without '..'"
              + " or '.'; found '"
              + target
              + "'");
    }
    return String.join("/", parts);
  }

  private List<FstabEntry> read(Jail jail) throws ClientException, IOException {
    Path file = fstab(jail);
    Optional<byte[]> bytes = JailStore.readOwnFile(file, MAX_FSTAB);
    if (bytes.isEmpty()) {
      return List.of();
    }
    try {
      return Fstab.parse(new String(bytes.get(), StandardCharsets.UTF_8));
    } catch (FreeBsdInputException e) {
      throw new JailException(file + " is damaged: " + e.getMessage() + "; fix or remove it", e);
    }
  }

  private Path fstab(Jail jail) {
    return store.dir(jail.name().value(), jail.template()).resolve("fstab");
  }

  /** The mount point, made inside the root without following a link on the way. */
  private static final class MountPoint implements Step {
    private final Path root;
    private final String relative;

    MountPoint(Path root, String relative) {
      this.root = root;
      this.relative = relative;
    }

    @Override
    public String name() {
      return "mount point";
    }

    @Override
    public List<String> describe() {
      return List.of(
          "make directory " + root.resolve(relative) + " unless it is one (no links followed)");
    }

    @Override
    public void run(Reporter reporter) throws IOException {
      try (ConfinedDirectory jail = ConfinedDirectory.open(root)) {
        jail.createDirectories(relative);
      }
    }
  }

  /** The jail's fstab with {@code after}'s lines; undone by writing {@code before}'s. */
  private final class WriteFstab implements Step {
    private final Jail jail;
    private final List<FstabEntry> before;
    private final List<FstabEntry> after;

    WriteFstab(Jail jail, List<FstabEntry> before, List<FstabEntry> after) {
      this.jail = jail;
      this.before = List.copyOf(before);
      this.after = List.copyOf(after);
    }

    @Override
    public String name() {
      return "fstab";
    }

    @Override
    public List<String> describe() {
      if (after.isEmpty()) {
        return List.of("remove " + fstab(jail) + ": nothing left to mount");
      }
      List<String> lines = new ArrayList<>(List.of("write " + fstab(jail) + ":"));
      Fstab.render(after).lines().map(l -> "  " + l).forEach(lines::add);
      return lines;
    }

    @Override
    public void run(Reporter reporter) throws IOException {
      write(after);
    }

    @Override
    public void undo(Reporter reporter) throws IOException {
      write(before);
    }

    private void write(List<FstabEntry> entries) throws IOException {
      Path file = fstab(jail);
      if (entries.isEmpty()) {
        Files.deleteIfExists(file);
      } else {
        org.warder.signing.AtomicFiles.write(
            file, Fstab.render(entries).getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /** The mount made in the running jail, where the runtime can; else noted for the next start. */
  private final class LiveMount implements Step {
    private final Jail jail;
    private final Mount mount;

    LiveMount(Jail jail, Mount mount) {
      this.jail = jail;
      this.mount = mount;
    }

    @Override
    public String name() {
      return "mount";
    }

    @Override
    public List<String> describe() {
      return List.of(runtime.describeMount(mount));
    }

    @Override
    public void run(Reporter reporter) throws IOException, InterruptedException {
      if (!runtime.mountsWhileRunning()) {
        reporter.warning(
            jail.name()
                + " runs in the Linux sandbox, which cannot mount into a running jail: "
                + mount.target()
                + " is mounted at its next start ('warder restart "
                + jail.name()
                + "')");
        return;
      }
      if (!Files.isDirectory(mount.target(), LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(
            mount.target() + " is no longer a directory; the jail changed it: nothing was mounted");
      }
      runtime.mount(jail.name(), mount);
    }

    @Override
    public void undo(Reporter reporter) throws IOException, InterruptedException {
      if (runtime.mountsWhileRunning()) {
        runtime.unmount(jail.name(), mount.target());
      }
    }
  }

  /** The mount removed from the running jail, where the runtime can. */
  private final class LiveUnmount implements Step {
    private final Jail jail;
    private final Path target;

    LiveUnmount(Jail jail, Path target) {
      this.jail = jail;
      this.target = target;
    }

    @Override
    public String name() {
      return "umount";
    }

    @Override
    public List<String> describe() {
      return List.of(runtime.describeUnmount(target));
    }

    @Override
    public void run(Reporter reporter) throws IOException, InterruptedException {
      if (!runtime.mountsWhileRunning()) {
        reporter.warning(
            jail.name()
                + " runs in the Linux sandbox, which cannot unmount in a running jail: "
                + target
                + " stays mounted until it stops ('warder restart "
                + jail.name()
                + "')");
        return;
      }
      runtime.unmount(jail.name(), target);
    }
  }
}
