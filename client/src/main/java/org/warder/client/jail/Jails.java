package org.warder.client.jail;

import java.time.Clock;
import org.warder.client.layout.HostLayout;
import org.warder.client.progress.Reporter;
import org.warder.client.runtime.JailRuntime;
import org.warder.client.storage.Storage;

/**
 * The jails of this host, wired once over one storage and one runtime: {@link #creator() creating},
 * {@link #destroyer() destroying}, {@link #lifecycle() running}, {@link #properties() editing
 * properties} and {@link #snapshots() snapshots}, each a class of its own that reports through one
 * {@link Reporter}. Not thread-safe.
 */
public final class Jails {
  private final JailStore store;
  private final JailRuntime runtime;
  private final JailMounts mounts;
  private final JailLifecycle lifecycle;
  private final JailCreator creator;
  private final JailDestroyer destroyer;
  private final JailPropertyEditor properties;
  private final JailSnapshots snapshots;
  private final JailRenamer renamer;
  private final JailFstab fstab;
  private final JailCloner cloner;
  private final JailUsage usage;
  private final JailConsole console;
  private final JailCopier copier;

  public Jails(
      HostLayout layout, Storage storage, JailRuntime runtime, Clock clock, Reporter reporter) {
    this.store = new JailStore(layout);
    this.runtime = runtime;
    this.mounts = new JailMounts(layout, storage, store);
    this.lifecycle = new JailLifecycle(layout, store, runtime, mounts, reporter);
    this.creator = new JailCreator(layout, storage, store, mounts, lifecycle, clock, reporter);
    this.destroyer = new JailDestroyer(storage, store, lifecycle, creator, reporter);
    this.properties = new JailPropertyEditor(storage, store, mounts, lifecycle, reporter);
    this.snapshots = new JailSnapshots(storage, store, lifecycle, clock);
    this.renamer = new JailRenamer(storage, store, lifecycle, creator, reporter);
    this.fstab = new JailFstab(layout, store, runtime, reporter);
    this.usage = new JailUsage(storage, store);
    this.console = new JailConsole(store, runtime);
    this.copier = new JailCopier(layout, store);
    this.cloner = new JailCloner(storage, store, lifecycle, creator, clock, reporter);
  }

  /** The jails' config.json files and directories (for the import, export and plugin code). */
  public JailStore store() {
    return store;
  }

  /** The runtime the jails run in (for the export and plugin code). */
  public JailRuntime runtime() {
    return runtime;
  }

  /** A base jail's origin check and its fstab. */
  public JailMounts mounts() {
    return mounts;
  }

  public JailLifecycle lifecycle() {
    return lifecycle;
  }

  public JailCreator creator() {
    return creator;
  }

  public JailDestroyer destroyer() {
    return destroyer;
  }

  public JailPropertyEditor properties() {
    return properties;
  }

  public JailSnapshots snapshots() {
    return snapshots;
  }

  /** {@code warder rename}. */
  public JailRenamer renamer() {
    return renamer;
  }

  /** {@code warder console}. */
  public JailConsole console() {
    return console;
  }

  /** {@code warder df}. */
  public JailUsage usage() {
    return usage;
  }

  /** {@code warder clone}. */
  public JailCloner cloner() {
    return cloner;
  }

  /** {@code warder fstab}: the user's nullfs mounts. */
  public JailFstab fstab() {
    return fstab;
  }

  /** {@code warder cp}: host files into a jail's root. */
  public JailCopier copier() {
    return copier;
  }
}
