package org.warder.client.plugin;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.warder.client.archive.TarExtractor;
import org.warder.client.exec.CommandRunner;
import org.warder.client.freebsd.PkgRepos;
import org.warder.client.jail.Jail;
import org.warder.client.jail.JailException;
import org.warder.client.jail.Jails;
import org.warder.client.layout.HostLayout;
import org.warder.client.state.StateFiles;
import org.warder.client.storage.SnapshotsUnsupportedException;
import org.warder.client.storage.Storage;
import org.warder.index.PluginManifest;

/**
 * {@code warder plugin update} and {@code upgrade}: brings a plugin jail to the revision its
 * publisher signs now. A snapshot of the jail's root is taken first (a copy on directory storage);
 * then pre_update.sh, an upgrade of the listed packages, the new artifact and overlay,
 * post_update.sh. The pkg configuration, the overlay and the scripts are written into the jail's
 * root only while the jail is stopped, and through a {@link
 * org.warder.client.host.ConfinedDirectory}, so that no process of the jail (pre_update.sh
 * included) can turn a directory into a link to the host under the writes. Any failure rolls the
 * jail back to the snapshot. {@code upgrade} also moves the jail to the manifest's newer release.
 * Not thread-safe.
 */
public final class PluginUpdater {
  private final HostLayout layout;
  private final Jails jails;
  private final Storage storage;
  private final CommandRunner runner;
  private final Clock clock;
  private final PrintWriter out;

  public PluginUpdater(
      HostLayout layout,
      Jails jails,
      Storage storage,
      CommandRunner runner,
      Clock clock,
      PrintWriter out) {
    this.layout = layout;
    this.jails = jails;
    this.storage = storage;
    this.runner = runner;
    this.clock = clock;
    this.out = out;
  }

  /**
   * Updates jail {@code name} to its plugin's current revision; with {@code upgrade}, also to the
   * manifest's release when it is newer. The manifest's devfs rules are applied again, so they must
   * be allowed by default or by {@code allowances} (as at install: nothing is kept from then, since
   * a jail's files may come from another host).
   */
  public void update(
      String name, boolean upgrade, PluginSources sources, PluginAllowances allowances)
      throws PluginInstallException {
    String[] step = {"resolve"};
    PluginSteps steps = new PluginSteps(jails, runner, out);
    Optional<Restore> restore = Optional.empty();
    try {
      Jail jail = jails.store().get(name);
      Path dir = jails.store().dir(name, false);
      Path recordFile = dir.resolve("plugin.json");
      if (!Files.isRegularFile(recordFile)) {
        throw new JailException(name + " is not a plugin jail (no plugin.json); nothing to update");
      }
      String pluginId = StateFiles.mapper().readTree(recordFile.toFile()).path("plugin").asText();
      ResolvedPlugin plugin = sources.resolve(pluginId);
      PluginManifest m = plugin.manifest();
      String currentRelease = jail.release().replaceFirst("-p\\d+$", "");
      if (!m.release().equals(currentRelease)) {
        if (!upgrade) {
          throw new JailException(
              pluginId
                  + " now needs release "
                  + m.release()
                  + " but "
                  + name
                  + " runs "
                  + currentRelease
                  + "; run 'warder plugin upgrade "
                  + name
                  + "' to move it");
        }
        if (major(m.release()) < major(currentRelease)) {
          throw new JailException(
              "refusing to move " + name + " back from " + currentRelease + " to " + m.release());
        }
      }
      out.println("updating " + name + " to " + plugin.qualifiedId() + " revision " + m.revision());

      step[0] =
          "allow"; // an update applies the manifest's devfs rules again, nothing else it asks for
      ManifestPolicy.decide(
              plugin.qualifiedId(),
              ManifestPolicy.only(
                  ManifestPolicy.asks(m, List.of()),
                  Set.of(ManifestPolicy.Kind.DEVICE, ManifestPolicy.Kind.INCLUDE)),
              allowances)
          .lines()
          .forEach(out::println);

      step[0] = "snapshot";
      boolean running = jails.runtime().jid(jail.name()).isPresent();
      restore = Optional.of(snapshot(jail, running));

      if (upgrade && !m.release().equals(currentRelease)) {
        step[0] = "upgrade";
        sources.ensureRelease(m.release());
        jail = jails.creator().moveToRelease(jail, m.release());
      }
      if (m.devfsRuleset().isPresent()) {
        jail =
            jails
                .creator()
                .ownDevfsRuleset(jail, m.devfsRuleset().get()); // from the next start when running
      }
      Path root = layout.path(jail.rootName());
      String ip = PluginInstaller.address(jail.props());
      Path pluginDir = dir.resolve("plugin");

      // every write into the root happens with the jail stopped, through a ConfinedDirectory
      step[0] = "pkg-config";
      boolean[] pre = {false};
      steps.whileStopped(
          jail,
          root,
          confined -> {
            PluginSteps.writePkgRepos(m, confined, PkgRepos.FreeBsdRepo.KEEP_ENABLED);
            pre[0] = PluginSteps.place(pluginDir, confined, "pre_update.sh");
          });
      if (jails.runtime().jid(jail.name()).isEmpty()) {
        jails.lifecycle().start(name);
      }
      if (pre[0]) {
        step[0] = "pre_update";
        steps.run(jail, "pre_update.sh", PluginInstaller.scriptEnv(ip));
      }

      step[0] = "pkg";
      steps.pkg(jail, List.of("upgrade", "-y"), m.pkgs());

      String commit = "none";
      if (m.artifactRef().isPresent()) {
        step[0] = "artifact";
        commit = m.artifactRef().get();
        Path fresh = dir.resolve("plugin.new");
        Path old = dir.resolve("plugin.old");
        TarExtractor.deleteTree(fresh);
        TarExtractor.deleteTree(old);
        steps.checkout(sources.bundle(plugin), commit, fresh);
        if (Files.exists(pluginDir)) {
          Files.move(pluginDir, old);
        }
        Files.move(fresh, pluginDir);
        boolean[] post = {false};
        steps.whileStopped(
            jail,
            root,
            confined -> {
              steps.overlay(pluginDir, confined);
              post[0] = PluginSteps.place(pluginDir, confined, "post_update.sh");
            });
        if (post[0]) {
          step[0] = "post_update";
          steps.run(jail, "post_update.sh", PluginInstaller.scriptEnv(ip));
        }
      }
      step[0] = "record";
      PluginInstaller.record(dir, plugin, commit, clock);
      TarExtractor.deleteTree(dir.resolve("plugin.old"));
      restore.get().discard();
      out.println(name + " is at " + plugin.qualifiedId() + " revision " + m.revision());
    } catch (Exception e) {
      restore.ifPresent(r -> r.rollback(out));
      throw new PluginInstallException(
          step[0], e.getMessage() == null ? e.toString() : e.getMessage(), steps.tail(), e);
    }
  }

  /** How to put the jail back as it was before the update. */
  private interface Restore {
    void rollback(PrintWriter out);

    void discard() throws IOException, InterruptedException;
  }

  /** A ZFS snapshot of the jail, or with plain directories a copy of the jail's directory. */
  private Restore snapshot(Jail jail, boolean running) throws Exception {
    String snap =
        "warder-update-" + clock.instant().toString().replace(':', '-').replaceAll("\\.\\d+", "");
    String storageName = jail.storageName();
    try {
      storage.snapshot(jail.rootName(), snap);
      Path dir = jails.store().dir(jail.name().value(), false);
      Path saved =
          Files.createTempDirectory(dir.getParent(), "." + jail.name().value() + ".update-");
      copyState(dir, saved);
      out.println("snapshot " + jail.rootName() + "@" + snap + " taken");
      return new Restore() {
        @Override
        public void rollback(PrintWriter o) {
          try {
            stopQuietly(jail);
            storage.rollback(jail.rootName(), snap);
            copyState(saved, dir);
            restorePluginDir(dir);
            if (running) {
              jails.lifecycle().start(jail.name().value());
            }
            o.println("rolled " + jail.name() + " back to its snapshot " + snap);
          } catch (Exception e) {
            o.println(
                "warning: could not roll "
                    + jail.name()
                    + " back to "
                    + snap
                    + ": "
                    + e.getMessage());
          }
        }

        @Override
        public void discard() throws IOException, InterruptedException {
          storage.destroySnapshot(jail.rootName(), snap);
          TarExtractor.deleteTree(saved);
        }
      };
    } catch (SnapshotsUnsupportedException e) {
      stopQuietly(jail);
      String backup = storageName.replace("jails/", "jails/.update-");
      storage.destroy(backup);
      storage.copyOf(storageName, backup);
      if (running) {
        jails.lifecycle().start(jail.name().value());
      }
      out.println("copy of " + storageName + " taken (directory storage has no snapshots)");
      return new Restore() {
        @Override
        public void rollback(PrintWriter o) {
          try {
            stopQuietly(jail);
            storage.destroy(storageName);
            storage.rename(backup, storageName);
            if (running) {
              jails.lifecycle().start(jail.name().value());
            }
            o.println("restored " + jail.name() + " from its copy");
          } catch (Exception ex) {
            o.println("warning: could not restore " + jail.name() + ": " + ex.getMessage());
          }
        }

        @Override
        public void discard() throws IOException, InterruptedException {
          storage.destroy(backup);
        }
      };
    }
  }

  /**
   * config.json, plugin.json, manifest.json, fstab, devfs.json: what the snapshot of root does not
   * cover (plugin/ is put back from plugin.old by {@link #restorePluginDir}).
   */
  private static void copyState(Path from, Path to) throws IOException {
    for (String f : List.of("config.json", "plugin.json", "manifest.json", "fstab", "devfs.json")) {
      if (Files.isRegularFile(from.resolve(f))) {
        Files.copy(
            from.resolve(f), to.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** Puts the previous artifact back when the update had replaced it. */
  private static void restorePluginDir(Path dir) throws IOException {
    TarExtractor.deleteTree(dir.resolve("plugin.new"));
    if (Files.exists(dir.resolve("plugin.old"))) {
      TarExtractor.deleteTree(dir.resolve("plugin"));
      Files.move(dir.resolve("plugin.old"), dir.resolve("plugin"));
    }
  }

  private void stopQuietly(Jail jail) {
    try {
      if (jails.runtime().jid(jail.name()).isPresent()) {
        jails.lifecycle().stop(jail.name().value());
      }
    } catch (Exception e) {
      out.println("warning: could not stop " + jail.name() + ": " + e.getMessage());
    }
  }

  private static int major(String release) {
    return Integer.parseInt(release.substring(0, release.indexOf('.')));
  }
}
