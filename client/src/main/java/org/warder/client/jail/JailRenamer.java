package org.warder.client.jail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.jail.props.PropertyException;
import org.warder.client.layout.HostLayout;
import org.warder.client.plan.Plan;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.client.storage.Snapshots;
import org.warder.client.storage.Storage;
import org.warder.signing.AtomicFiles;

/**
 * {@code warder rename}: a stopped jail gets another name, as iocage and Bastille rename. Its
 * directory (dataset) moves, its config.json names it (and its host_hostname, when that was the old
 * name), the paths of its fstab follow, the snapshot of its origin it was cloned from is renamed
 * where there is one (so that destroying it later removes that snapshot), the jail.conf of its last
 * start goes (the next start writes it again) and the jails that depend on it name the new name.
 * Not thread-safe.
 */
public final class JailRenamer {
  private final Storage storage;
  private final JailStore store;
  private final JailLifecycle lifecycle;
  private final JailCreator creator;
  private final Reporter reporter;

  JailRenamer(
      Storage storage,
      JailStore store,
      JailLifecycle lifecycle,
      JailCreator creator,
      Reporter reporter) {
    this.storage = storage;
    this.store = store;
    this.lifecycle = lifecycle;
    this.creator = creator;
    this.reporter = reporter;
  }

  /** Renames jail {@code from} to {@code to}. */
  public void rename(String from, String to)
      throws ClientException, IOException, InterruptedException {
    plan(from, to).run(reporter, false, List::of);
    reporter.info(from + " renamed to " + to);
  }

  /**
   * The steps that rename {@code from} to {@code to}, every check made: {@code from} is a stopped
   * jail (not a template), {@code to} a valid name no jail, template or dataset has. Changes
   * nothing.
   */
  public Plan plan(String from, String to)
      throws ClientException, IOException, InterruptedException {
    Jail jail = store.get(from);
    JailName name = JailName.of(to);
    if (jail.template()) {
      throw new JailException(
          Reason.CONFLICT,
          from
              + " is a template: the jails made from it name it as their origin, so it keeps its"
              + " name; make a copy with 'warder create -t "
              + from
              + " -n "
              + to
              + "' instead");
    }
    StoppedJail.require(lifecycle, jail, "renamed");
    if (creator.nameTaken(to)) {
      throw new JailException(
          Reason.CONFLICT,
          "a jail or template named " + to + " already exists; choose another new name");
    }
    Jail renamed = new Jail(name, renamedProps(jail, to), false);
    List<Step> steps = new ArrayList<>();
    steps.add(new MoveDirectory(jail.storageName(), renamed.storageName()));
    originSnapshot(jail).ifPresent(s -> steps.add(new RenameSnapshot(s, from, to)));
    steps.add(new SaveConfig(renamed, jail));
    Path newDir = store.dir(to, false);
    steps.add(
        new ReplaceFile(
            newDir.resolve("fstab"),
            JailFstab.moved(jail, store.dir(from, false), newDir),
            "fstab"));
    steps.add(new ReplaceFile(newDir.resolve("jail.conf"), Optional.empty(), "jail.conf"));
    for (Jail other : store.all(false)) {
      if (!other.name().equals(jail.name()) && other.props().depends().contains(jail.name())) {
        steps.add(new SaveConfig(withDependency(other, jail.name(), name), other));
      }
    }
    return new Plan(steps);
  }

  private static JailProperties renamedProps(Jail jail, String to) throws PropertyException {
    JailProperties props = jail.props().withIdentity(Map.of("name", to));
    if (jail.props().value("host_hostname").equals(jail.name().value())) {
      props = props.with(Map.of("host_hostname", to));
    }
    return props;
  }

  private static Jail withDependency(Jail other, JailName from, JailName to)
      throws PropertyException {
    List<String> names =
        other.props().depends().stream().map(d -> d.equals(from) ? to.value() : d.value()).toList();
    return new Jail(
        other.name(), other.props().with(Map.of("depends", String.join(" ", names))), false);
  }

  /** The origin's snapshot a clone of it made this jail's root from, if storage has it. */
  private Optional<OriginSnapshot> originSnapshot(Jail jail)
      throws IOException, InterruptedException {
    Optional<Snapshots> snapshots = storage.snapshots();
    if (jail.origin().isEmpty() || snapshots.isEmpty()) {
      return Optional.empty();
    }
    String originRoot = HostLayout.rootName(jail.origin().get().storageName());
    if (!storage.exists(originRoot)
        || !snapshots.get().list(originRoot).contains(jail.name().value())) {
      return Optional.empty();
    }
    return Optional.of(new OriginSnapshot(snapshots.get(), originRoot));
  }

  private record OriginSnapshot(Snapshots snapshots, String originRoot) {}

  /** Renames the jail's directory or dataset. */
  private final class MoveDirectory implements Step {
    private final String from;
    private final String to;

    MoveDirectory(String from, String to) {
      this.from = from;
      this.to = to;
    }

    @Override
    public String name() {
      return "move";
    }

    @Override
    public List<String> describe() {
      return List.of("rename " + storage.kind() + " " + from + " to " + to);
    }

    @Override
    public void run(Reporter reporter) throws IOException, InterruptedException {
      storage.rename(from, to);
    }

    @Override
    public void undo(Reporter reporter) throws IOException, InterruptedException {
      storage.rename(to, from);
    }
  }

  /** Renames the origin snapshot the jail's root is a clone of. */
  private static final class RenameSnapshot implements Step {
    private final OriginSnapshot origin;
    private final String from;
    private final String to;

    RenameSnapshot(OriginSnapshot origin, String from, String to) {
      this.origin = origin;
      this.from = from;
      this.to = to;
    }

    @Override
    public String name() {
      return "snapshot";
    }

    @Override
    public List<String> describe() {
      return List.of(
          "rename snapshot "
              + origin.originRoot()
              + "@"
              + from
              + " to "
              + origin.originRoot()
              + "@"
              + to);
    }

    @Override
    public void run(Reporter reporter) throws IOException, InterruptedException {
      origin.snapshots().renameSnapshot(origin.originRoot(), from, to);
    }

    @Override
    public void undo(Reporter reporter) throws IOException, InterruptedException {
      origin.snapshots().renameSnapshot(origin.originRoot(), to, from);
    }
  }

  /** Writes a jail's config.json; undone by writing the one it replaced. */
  private final class SaveConfig implements Step {
    private final Jail jail;
    private final Jail before;

    SaveConfig(Jail jail, Jail before) {
      this.jail = jail;
      this.before = before;
    }

    @Override
    public String name() {
      return "config";
    }

    @Override
    public List<String> describe() {
      List<String> changes = new ArrayList<>();
      jail.props()
          .explicit()
          .forEach(
              (k, v) -> {
                String old = before.props().explicit().get(k);
                if (!v.equals(old)) {
                  changes.add(k + "=" + v);
                }
              });
      return List.of(
          "write "
              + store.dir(jail.name().value(), false).resolve("config.json")
              + ": "
              + String.join(" ", changes));
    }

    @Override
    public void run(Reporter reporter) throws IOException {
      store.save(jail);
    }

    @Override
    public void undo(Reporter reporter) throws IOException {
      AtomicFiles.write(
          store.dir(jail.name().value(), false).resolve("config.json"),
          before.props().toConfigJson().getBytes(StandardCharsets.UTF_8));
    }
  }
}
