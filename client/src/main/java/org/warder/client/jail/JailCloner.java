package org.warder.client.jail;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.plan.Plan;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.client.storage.Storage;

/**
 * {@code warder clone}: a new jail from a stopped one, as Bastille's clone. Its root is a clone of
 * a snapshot of the source's root named after the new jail (ZFS; a full copy on plain directories),
 * or with {@code thick} an independent copy (ZFS send and receive); its config.json is the source's
 * with a new identity: its own name, creation time and hostname, no MACs (generated at its first
 * start) and, for a NAT jail, no address pair (allocated at its first start), with the properties
 * given on top; its fstab's paths name its own root. Not thread-safe.
 */
public final class JailCloner {
  private final Storage storage;
  private final JailStore store;
  private final JailLifecycle lifecycle;
  private final JailCreator creator;
  private final Clock clock;
  private final Reporter reporter;

  JailCloner(
      Storage storage,
      JailStore store,
      JailLifecycle lifecycle,
      JailCreator creator,
      Clock clock,
      Reporter reporter) {
    this.storage = storage;
    this.store = store;
    this.lifecycle = lifecycle;
    this.creator = creator;
    this.clock = clock;
    this.reporter = reporter;
  }

  /** Clones {@code source} as {@code target} with {@code properties} (key=value) on top. */
  public Jail clone(String source, String target, List<String> properties, boolean thick)
      throws ClientException, IOException, InterruptedException {
    Cloning cloning = plan(source, target, properties, thick);
    cloning.plan().run(reporter, false, List::of);
    reporter.info(target + " created (" + (thick ? "copy" : "clone") + " of jail " + source + ")");
    return cloning.jail();
  }

  /** The jail a clone makes and the steps that make it. */
  public record Cloning(Jail jail, Plan plan) {}

  /**
   * The steps that clone {@code source} as {@code target}, every check made: the source is a
   * stopped jail (not a template, not a plugin's), the name free, the properties valid. Changes
   * nothing.
   */
  public Cloning plan(String source, String target, List<String> properties, boolean thick)
      throws ClientException, IOException, InterruptedException {
    Jail from = store.get(source);
    JailName name = JailName.of(target);
    if (from.template()) {
      throw new JailException(
          Reason.CONFLICT,
          source
              + " is a template: make a jail of it with 'warder create -t "
              + source
              + " -n "
              + target
              + "'");
    }
    if (from.props().identity("type").orElse("jail").equals("plugin")) {
      throw new JailException(
          Reason.CONFLICT,
          source
              + " holds a plugin, whose record and artifact a clone would not carry; install"
              + " the plugin again with 'warder plugin install'");
    }
    StoppedJail.require(lifecycle, from, "cloned");
    if (creator.nameTaken(target)) {
      throw new JailException(
          Reason.CONFLICT,
          "a jail or template named " + target + " already exists; choose another name");
    }
    Jail jail = new Jail(name, cloneProps(from, target, properties), false);
    Path fromDir = store.dir(source, false);
    Path toDir = store.dir(target, false);
    List<Step> steps = new ArrayList<>();
    steps.add(new MakeDirectory(jail.storageName()));
    steps.add(new CloneRoot(from.rootName(), jail.rootName(), target, thick));
    steps.add(new WriteConfigStep(store, jail));
    steps.add(
        new ReplaceFile(toDir.resolve("fstab"), JailFstab.moved(from, fromDir, toDir), "fstab"));
    return new Cloning(jail, new Plan(steps));
  }

  /**
   * The source's properties with a new identity: name, creation time, hostname; the MACs and a NAT
   * jail's address pair reset to be decided at its first start; then {@code properties}.
   */
  private JailProperties cloneProps(Jail from, String target, List<String> properties)
      throws ClientException {
    Map<String, String> fresh = new LinkedHashMap<>();
    fresh.put("host_hostname", target);
    from.props().explicit().keySet().stream()
        .filter(k -> k.matches("vnet[0-9]+_mac"))
        .forEach(k -> fresh.put(k, "none"));
    if (from.props().isTrue("nat")) {
      fresh.put("ip4_addr", "none");
      fresh.put("defaultrouter", "auto");
    }
    JailProperties props =
        from.props()
            .withIdentity(Map.of("name", target, "created", clock.instant().toString()))
            .with(fresh);
    if (!properties.isEmpty()) {
      props = props.withImplied(JailProperties.keyValues(properties)).props();
    }
    props.checkConsistent();
    return props;
  }

  /** The new jail's directory (dataset). */
  private final class MakeDirectory implements Step {
    private final String dir;

    MakeDirectory(String dir) {
      this.dir = dir;
    }

    @Override
    public String name() {
      return "create";
    }

    @Override
    public List<String> describe() {
      return List.of("create " + storage.kind() + " " + dir + " (mode 0700)");
    }

    @Override
    public void run(Reporter reporter) throws IOException, InterruptedException {
      storage.createPrivate(dir);
    }

    @Override
    public void undo(Reporter reporter) throws IOException, InterruptedException {
      storage.destroy(dir);
    }
  }

  /** The root: a clone of a snapshot of the source's, or a full copy. */
  private final class CloneRoot implements Step {
    private final String from;
    private final String to;
    private final String snapshot;
    private final boolean thick;

    CloneRoot(String from, String to, String snapshot, boolean thick) {
      this.from = from;
      this.to = to;
      this.snapshot = snapshot;
      this.thick = thick;
    }

    @Override
    public String name() {
      return "root";
    }

    @Override
    public List<String> describe() {
      if (thick || storage.snapshots().isEmpty()) {
        return List.of("copy " + from + " to " + to);
      }
      return List.of("snapshot " + from + "@" + snapshot + ", clone it as " + to);
    }

    @Override
    public void run(Reporter reporter) throws IOException, InterruptedException {
      if (thick) {
        storage.copyOf(from, to);
      } else {
        storage.cloneOf(from, snapshot, to);
      }
    }

    @Override
    public void undo(Reporter reporter) throws IOException, InterruptedException {
      storage.destroy(to);
      if (!thick) {
        creator.destroyOriginSnapshotQuietly(from, snapshot, reporter);
      }
    }
  }
}
