package org.warder.client.jail;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.warder.client.ClientException.Reason;
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

  /** Takes a snapshot of a jail's root, named {@code snapshot} or after the time; its name. */
  public String snapshot(String name, Optional<String> snapshot)
      throws JailException, IOException, InterruptedException {
    Jail jail = store.get(name);
    String snap =
        snapshot.orElse(
            "warder-" + clock.instant().toString().replace(':', '-').replaceAll("\\.\\d+", ""));
    if (!SNAPSHOT.matcher(snap).matches()) {
      throw new JailException(
          "expected a snapshot name of letters, digits and _.:-, found \"" + snap + "\"");
    }
    capability(storage, "a snapshot").snapshot(jail.rootName(), snap);
    return snap;
  }

  /** The snapshots of a jail's root, oldest first. */
  public List<String> snapshots(String name)
      throws JailException, IOException, InterruptedException {
    return capability(storage, "a list of snapshots").list(store.get(name).rootName());
  }

  /** Rolls a stopped jail back to a snapshot. */
  public void rollback(String name, String snapshot)
      throws JailException, IOException, InterruptedException {
    Jail jail = store.get(name);
    if (lifecycle.running(jail)) {
      throw new JailException(
          Reason.CONFLICT, name + " is running; stop it before rolling it back");
    }
    Snapshots snapshots = capability(storage, "a rollback");
    if (!snapshots.list(jail.rootName()).contains(snapshot)) {
      throw new JailException(
          Reason.NOT_FOUND,
          name + " has no snapshot " + snapshot + "; see 'warder snaplist " + name + "'");
    }
    snapshots.rollback(jail.rootName(), snapshot);
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
