package org.warder.client.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.host.DirectoryTrees;
import org.warder.client.jail.Jail;
import org.warder.client.jail.JailException;
import org.warder.client.jail.Jails;
import org.warder.client.layout.HostLayout;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.client.storage.Snapshots;
import org.warder.client.storage.Storage;

/**
 * The first step of a plugin update: a snapshot of the jail's root with a copy of its state files
 * (a copy of the whole jail directory on storage without snapshots). Undo puts the jail back as it
 * was, running again if it ran; {@link #discard} drops the snapshot once the update is done.
 */
final class UpdateSnapshot implements Step {
  private final Jails jails;
  private final Storage storage;
  private final Jail jail;
  private final boolean running;
  private final String snap;
  private final Path dir;
  private Optional<Path> saved = Optional.empty();
  private Optional<String> backup = Optional.empty();

  /** A snapshot called {@code snap} of {@code jail}, which runs now when {@code running}. */
  UpdateSnapshot(Jails jails, Storage storage, Jail jail, boolean running, String snap) {
    this.jails = jails;
    this.storage = storage;
    this.jail = jail;
    this.running = running;
    this.snap = snap;
    this.dir = jails.store().dir(jail.name().value(), false);
  }

  @Override
  public String name() {
    return "snapshot";
  }

  @Override
  public List<String> describe() {
    return List.of(
        "snapshot "
            + jail.rootName()
            + "@"
            + snap
            + " and copy the state files of "
            + dir
            + " (on storage without snapshots: a copy of "
            + jail.storageName()
            + ")");
  }

  @Override
  public void run(Reporter reporter) throws ClientException, IOException, InterruptedException {
    Optional<Snapshots> snapshots = storage.snapshots();
    if (snapshots.isPresent()) {
      snapshots.get().snapshot(jail.rootName(), snap);
      Path copy =
          Files.createTempDirectory(dir.getParent(), "." + jail.name().value() + ".update-");
      copyState(dir, copy);
      saved = Optional.of(copy);
      reporter.info("snapshot " + jail.rootName() + "@" + snap + " taken");
    } else {
      stopQuietly(reporter);
      String copy = HostLayout.updateBackupName(jail.name().value());
      storage.destroy(copy);
      storage.copyOf(jail.storageName(), copy);
      backup = Optional.of(copy);
      startIfItRan();
      reporter.info(
          "copy of " + jail.storageName() + " taken (directory storage has no snapshots)");
    }
  }

  @Override
  public void undo(Reporter reporter) throws ClientException, IOException, InterruptedException {
    stopQuietly(reporter);
    if (backup.isPresent()) {
      storage.destroy(jail.storageName());
      storage.rename(backup.get(), jail.storageName());
      startIfItRan();
      reporter.info("restored " + jail.name() + " from its copy");
    } else if (saved.isPresent()) {
      snapshotsOf(storage).rollback(jail.rootName(), snap);
      copyState(saved.get(), dir);
      restorePluginDir();
      startIfItRan();
      reporter.info("rolled " + jail.name() + " back to its snapshot " + snap);
    }
  }

  /** The snapshots of storage a snapshot was taken on (saved is present only then). */
  private static Snapshots snapshotsOf(Storage storage) {
    return storage
        .snapshots()
        .orElseThrow(() -> new IllegalStateException("a snapshot was taken on " + storage.kind()));
  }

  /** Drops the snapshot (or copy) once the update is done. */
  void discard() throws IOException, InterruptedException {
    if (backup.isPresent()) {
      storage.destroy(backup.get());
    } else if (saved.isPresent()) {
      snapshotsOf(storage).destroySnapshot(jail.rootName(), snap);
      DirectoryTrees.delete(saved.get());
    }
  }

  /**
   * config.json, plugin.json, manifest.json, fstab, devfs.json: what the snapshot of root does not
   * cover (plugin/ is put back from plugin.old by {@link #restorePluginDir}).
   */
  private static void copyState(Path from, Path to) throws IOException {
    for (String f : List.of("config.json", "plugin.json", "manifest.json", "fstab", "devfs.json")) {
      if (Files.isRegularFile(from.resolve(f))) {
        Files.copy(from.resolve(f), to.resolve(f), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** Puts the previous artifact back when a failed checkout left it aside. */
  private void restorePluginDir() throws IOException {
    DirectoryTrees.delete(dir.resolve("plugin.new"));
    if (Files.exists(dir.resolve("plugin.old"))) {
      DirectoryTrees.delete(dir.resolve("plugin"));
      Files.move(dir.resolve("plugin.old"), dir.resolve("plugin"));
    }
  }

  private void startIfItRan() throws ClientException, IOException, InterruptedException {
    if (running) {
      jails.lifecycle().start(jail.name().value());
    }
  }

  private void stopQuietly(Reporter reporter) throws InterruptedException {
    try {
      if (jails.runtime().jid(jail.name()).isPresent()) {
        jails.lifecycle().stop(jail.name().value());
      }
    } catch (IOException | JailException e) {
      reporter.warning("could not stop " + jail.name() + ": " + e.getMessage());
    }
  }
}
