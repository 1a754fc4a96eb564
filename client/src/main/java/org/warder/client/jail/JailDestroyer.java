package org.warder.client.jail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
import org.warder.client.jail.props.Origin;
import org.warder.client.plan.Plan;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.client.storage.Storage;

/**
 * Destroys jails and templates as a {@link Plan} ({@code --dry-run} prints it): refused while the
 * jail runs (unless forced, which stops it first), while other jails depend on it, or while clones
 * of it exist. Not thread-safe.
 */
public final class JailDestroyer {
  private final Storage storage;
  private final JailStore store;
  private final JailLifecycle lifecycle;
  private final JailCreator creator;
  private final Reporter reporter;

  public JailDestroyer(
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

  /** Destroys {@code name} by running its {@link #plan}. */
  public void destroy(String name, boolean force)
      throws ClientException, IOException, InterruptedException {
    plan(name, force).run(reporter, false, List::of);
    reporter.info(name + " destroyed");
  }

  /**
   * The steps that destroy {@code name}, every check already made: stop it (when forced and
   * running), destroy its storage (root, config.json, fstab), remove the snapshot its clone was
   * made from. Changes nothing.
   */
  public Plan plan(String name, boolean force)
      throws JailException, IOException, InterruptedException {
    Jail jail = store.get(name);
    List<String> dependants = new ArrayList<>();
    for (Jail other : store.all(false)) {
      if (other.props().depends().contains(jail.name())) {
        dependants.add(other.name() + " (depends)");
      }
      if (jail.template()
          && other.origin().map(Origin::storageName).equals(Optional.of(jail.storageName()))) {
        dependants.add(other.name() + " (created from it)");
      }
    }
    for (String clone : storage.clonesOf(jail.rootName())) {
      String owner = clone.replaceFirst("^(jails|templates)/([^/]+)/root$", "$2");
      if (dependants.stream().noneMatch(d -> d.startsWith(owner + " "))) {
        dependants.add(owner + " (a clone of it)");
      }
    }
    if (!dependants.isEmpty()) {
      throw new JailException(
          Reason.CONFLICT,
          "cannot destroy "
              + name
              + ": "
              + String.join(", ", dependants)
              + " still need it; destroy or change those first");
    }
    List<Step> steps = new ArrayList<>();
    if (lifecycle.running(jail)) {
      if (!force) {
        throw new JailException(
            Reason.CONFLICT, name + " is running; stop it first, or destroy it with -f");
      }
      steps.add(new Stop(jail));
    }
    steps.add(new DestroyStorage(jail));
    jail.origin().ifPresent(o -> steps.add(new RemoveOriginSnapshot(jail, o)));
    return new Plan(steps);
  }

  private final class Stop implements Step {
    private final Jail jail;

    Stop(Jail jail) {
      this.jail = jail;
    }

    @Override
    public String name() {
      return "stop";
    }

    @Override
    public List<String> describe() {
      return List.of("stop " + jail.name() + " (its exec_stop, then the jail goes)");
    }

    @Override
    public void run(Reporter reporter) throws ClientException, IOException, InterruptedException {
      lifecycle.halt(jail);
    }
  }

  private final class DestroyStorage implements Step {
    private final Jail jail;

    DestroyStorage(Jail jail) {
      this.jail = jail;
    }

    @Override
    public String name() {
      return "storage";
    }

    @Override
    public List<String> describe() {
      return List.of(
          "destroy " + jail.storageName() + " (its root, config.json, fstab and all it holds)");
    }

    @Override
    public void run(Reporter reporter) throws IOException, InterruptedException {
      storage.destroy(jail.storageName());
    }
  }

  private final class RemoveOriginSnapshot implements Step {
    private final String sourceRoot;
    private final String snapshot;

    RemoveOriginSnapshot(Jail jail, Origin origin) {
      this.sourceRoot = origin.storageName() + "/root";
      this.snapshot = jail.name().value();
    }

    @Override
    public String name() {
      return "snapshot";
    }

    @Override
    public List<String> describe() {
      return List.of("remove snapshot " + sourceRoot + "@" + snapshot + " if there is one");
    }

    @Override
    public void run(Reporter reporter) {
      creator.destroyOriginSnapshotQuietly(sourceRoot, snapshot, reporter);
    }
  }
}
