package org.warder.client.jail;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.warder.client.ClientException.Reason;
import org.warder.client.plan.Plan;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.client.storage.Snapshots;
import org.warder.client.storage.Storage;

/** Snapshots of jail roots (ZFS): take, list, roll back. Not thread-safe. */
public final class JailSnapshots {
  private static final Pattern SNAPSHOT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

  private final Storage storage;
  private final JailStore store;
  private final JailLifecycle lifecycle;
  private final Clock clock;

  public JailSnapshots(Storage storage, JailStore store, JailLifecycle lifecycle, Clock clock) {
    this.storage = storage;
    this.store = store;
    this.lifecycle = lifecycle;
    this.clock = clock;
  }

  /**
   * The name a snapshot of {@code warder snapshot} gets: {@code snapshot}, or {@code warder-} and
   * the time; refused unless letters, digits and {@code _.:-}.
   */
  public String snapshotName(Optional<String> snapshot) throws JailException {
    String snap =
        snapshot.orElse(
            "warder-" + clock.instant().toString().replace(':', '-').replaceAll("\\.\\d+", ""));
    if (!SNAPSHOT.matcher(snap).matches()) {
      throw new JailException(
          "expected a snapshot name of letters, digits and _.:-, found \"" + snap + "\"");
    }
    return snap;
  }

  /** The step of {@code warder snapshot}: snapshot {@code snapshot} of the jail's root. */
  public Plan snapshotPlan(String name, String snapshot)
      throws JailException, IOException, InterruptedException {
    String root = store.get(name).rootName();
    Snapshots snapshots = capability(storage, "a snapshot");
    if (snapshots.list(root).contains(snapshot)) {
      throw new JailException(
          Reason.CONFLICT,
          name + " has a snapshot " + snapshot + " already; choose another name with -n");
    }
    return new Plan(
        List.of(
            new SnapshotStep(
                "snapshot",
                List.of("snapshot " + root + "@" + snapshot),
                () -> snapshots.snapshot(root, snapshot))));
  }

  /** The snapshots of a jail's root, oldest first. */
  public List<String> snapshots(String name)
      throws JailException, IOException, InterruptedException {
    return capability(storage, "a list of snapshots").list(store.get(name).rootName());
  }

  /**
   * The step of {@code warder rollback}: roll the stopped jail's root back to {@code snapshot},
   * destroying the snapshots taken after it (named in the description). Changes nothing.
   */
  public Plan rollbackPlan(String name, String snapshot)
      throws JailException, IOException, InterruptedException {
    Jail jail = store.get(name);
    if (lifecycle.running(jail)) {
      throw new JailException(
          Reason.CONFLICT, name + " is running; stop it before rolling it back");
    }
    Snapshots snapshots = capability(storage, "a rollback");
    String root = jail.rootName();
    List<String> all = snapshots.list(root);
    if (!all.contains(snapshot)) {
      throw new JailException(
          Reason.NOT_FOUND,
          name + " has no snapshot " + snapshot + "; see 'warder snaplist " + name + "'");
    }
    List<String> lines = new ArrayList<>();
    lines.add("roll " + root + " back to @" + snapshot + " (what changed since is lost)");
    all.subList(all.indexOf(snapshot) + 1, all.size())
        .forEach(later -> lines.add("destroy later snapshot " + root + "@" + later));
    return new Plan(
        List.of(new SnapshotStep("rollback", lines, () -> snapshots.rollback(root, snapshot))));
  }

  /** What a snapshot or rollback does to the storage. */
  private interface StorageAction {
    void run() throws IOException, InterruptedException;
  }

  /** A single storage action, described beforehand. */
  private record SnapshotStep(String name, List<String> describe, StorageAction action)
      implements Step {
    @Override
    public void run(Reporter reporter) throws IOException, InterruptedException {
      action.run();
    }
  }

  /** The storage's snapshots, or a refusal saying that {@code what} needs ZFS storage. */
  static Snapshots capability(Storage storage, String what) throws JailException {
    return storage
        .snapshots()
        .orElseThrow(
            () ->
                new JailException(
                    what
                        + " needs ZFS storage, but this host stores plain directories; run"
                        + " 'warder activate POOL/DATASET' to keep releases and jails on ZFS"));
  }
}
