package org.warder.client.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.warder.client.ClientException;
import org.warder.client.freebsd.PkgRepo;
import org.warder.client.freebsd.PkgRepos;
import org.warder.client.jail.Jail;
import org.warder.client.jail.JailException;
import org.warder.client.jail.Jails;
import org.warder.client.plan.Plan;
import org.warder.client.plan.Step;
import org.warder.client.plan.StepFailedException;
import org.warder.client.progress.Reporter;
import org.warder.client.runtime.JailRuntime;
import org.warder.client.runtime.RuntimeSpec;
import org.warder.client.state.StateFiles;
import org.warder.client.storage.Storage;
import org.warder.index.PluginManifest;

/**
 * {@code warder plugin update} and {@code upgrade}: brings a plugin jail to the revision its
 * publisher signs now, as one {@link Plan} built from the install's steps. A snapshot of the jail's
 * root is taken first (a copy on directory storage); then pre_update.sh, an upgrade of the listed
 * packages, the new artifact and overlay, post_update.sh. The pkg configuration, the overlay and
 * the scripts are written into the jail's root only while the jail is stopped, and through a {@link
 * org.warder.client.host.ConfinedDirectory}, so that no process of the jail (pre_update.sh
 * included) can turn a directory into a link to the host under the writes. Any failure rolls the
 * jail back to the snapshot. {@code upgrade} also moves the jail to the manifest's newer release.
 * Not thread-safe.
 */
public final class PluginUpdater {
  private final Jails jails;
  private final Storage storage;
  private final Clock clock;
  private final Reporter reporter;

  public PluginUpdater(Jails jails, Storage storage, Clock clock, Reporter reporter) {
    this.jails = jails;
    this.storage = storage;
    this.clock = clock;
    this.reporter = reporter;
  }

  /** An update ready to run: the jail, the plugin's current revision, and the plan. */
  public static final class Planned {
    private final String jail;
    private final ResolvedPlugin plugin;
    private final Plan plan;
    private final UpdateSnapshot snapshot;
    private final ScriptOutput output;

    private Planned(
        String jail,
        ResolvedPlugin plugin,
        Plan plan,
        UpdateSnapshot snapshot,
        ScriptOutput output) {
      this.jail = jail;
      this.plugin = plugin;
      this.plan = plan;
      this.snapshot = snapshot;
      this.output = output;
    }

    public ResolvedPlugin plugin() {
      return plugin;
    }

    public Plan plan() {
      return plan;
    }
  }

  /**
   * Plans the update of jail {@code name} to its plugin's current revision; with {@code upgrade},
   * also to the manifest's release when it is newer. Every decision is taken here and nothing runs:
   * refused, naming the step, when the jail is no plugin jail or needs {@code upgrade} to move. The
   * manifest's devfs rules are applied again, so they must be allowed by default or by {@code
   * allowances} (as at install: nothing is kept from then, since a jail's files may come from
   * another host).
   */
  public Planned plan(
      String name, boolean upgrade, PluginSources sources, PluginAllowances allowances)
      throws PluginInstallException, InterruptedException {
    String step = "resolve";
    ScriptOutput output = new ScriptOutput();
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
      boolean move = !m.release().equals(currentRelease);
      if (move) {
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
        if (version(m.release()) < version(currentRelease)) {
          throw new JailException(
              "refusing to move " + name + " back from " + currentRelease + " to " + m.release());
        }
      }
      step =
          "allow"; // an update applies the manifest's devfs rules again, nothing else it asks for
      ManifestPolicy.Decision decision =
          ManifestPolicy.decide(
              plugin.qualifiedId(),
              ManifestPolicy.only(
                  ManifestPolicy.asks(m, List.of()),
                  Set.of(ManifestPolicy.Kind.DEVICE, ManifestPolicy.Kind.INCLUDE)),
              allowances);
      step = "plan";
      JailRuntime runtime = jails.runtime();
      boolean running = runtime.jid(jail.name()).isPresent();
      UpdateSnapshot snapshot =
          new UpdateSnapshot(
              jails,
              storage,
              jail,
              running,
              "warder-update-"
                  + clock.instant().toString().replace(':', '-').replaceAll("\\.\\d+", ""));
      RuntimeSpec spec = jails.lifecycle().spec(jail);
      Path pluginDir = dir.resolve("plugin");
      PluginAddress ip = new PluginAddress(runtime, jail.name(), jail.props());
      List<PkgRepo> repos = PluginInstaller.repos(m);
      PkgRepos.FreeBsdRepo policy = PkgRepos.FreeBsdRepo.UNCHANGED;
      List<Step> steps = new ArrayList<>();
      steps.add(new AllowStep(decision));
      steps.add(snapshot);
      if (move) { // only with upgrade: refused above otherwise
        steps.add(new MoveReleaseStep(jails, sources, spec, running, m.release()));
      }
      boolean runs = running && !move; // the move leaves the jail stopped
      if (m.devfsRuleset().isPresent()) {
        // from the next start when running
        steps.add(
            new DevfsStep(
                jails, jail.name(), dir, m.devfsRuleset().get(), Optional.empty(), false));
      }
      List<String> preWrites = new ArrayList<>(PkgRepos.describe(spec.root(), repos, policy));
      preWrites.add(
          "copy "
              + pluginDir.resolve("pre_update.sh")
              + " to "
              + spec.root().resolve("root/pre_update.sh"));
      steps.add(
          new JailRootWrite(
              "pkg-config",
              jails,
              spec,
              runs,
              preWrites,
              (root, r) -> {
                PkgRepos.write(root, repos, policy);
                JailRootWrite.place(pluginDir, root, "pre_update.sh");
              }));
      if (!runs) {
        steps.add(new StartStep(jails, spec, jail));
      }
      steps.add(
          new ScriptStep(
              "pre_update", runtime, jail.name(), pluginDir, "pre_update.sh", ip, output));
      steps.add(PkgStep.of(runtime, jail.name(), List.of("upgrade", "-y"), m.pkgs(), output));
      String commit = m.artifactRef().orElse("none");
      if (m.artifactRef().isPresent()) {
        steps.addAll(
            ArtifactStep.withScript(
                jails,
                sources,
                plugin,
                commit,
                pluginDir,
                spec,
                "post_update",
                "post_update.sh",
                ip,
                output));
      }
      steps.add(new RecordStep(dir, plugin, commit, clock));
      return new Planned(name, plugin, new Plan(steps), snapshot, output);
    } catch (ClientException | IOException | RuntimeException e) {
      throw new PluginInstallException(step, message(e), List.of(), e);
    }
  }

  /** Runs a planned update; on failure rolls the jail back and throws naming the step. */
  public void update(Planned planned) throws PluginInstallException, InterruptedException {
    String name = planned.jail;
    ResolvedPlugin plugin = planned.plugin;
    reporter.info(
        "updating "
            + name
            + " to "
            + plugin.qualifiedId()
            + " revision "
            + plugin.manifest().revision());
    try {
      planned.plan.run(reporter, false, planned.output::tail);
      planned.snapshot.discard();
    } catch (StepFailedException e) {
      throw new PluginInstallException(e.step(), message(e.failure()), e.tail(), e.failure());
    } catch (IOException e) {
      reporter.warning("could not drop the snapshot of " + name + ": " + e.getMessage());
    }
    reporter.info(
        name + " is at " + plugin.qualifiedId() + " revision " + plugin.manifest().revision());
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /**
   * The version a release name such as {@code 13.4-RELEASE} spells, as {@code 1304}: major, then
   * minor (at most two digits each, {@link org.warder.client.release.Releases#NAME}).
   */
  private static int version(String release) {
    int dot = release.indexOf('.');
    int dash = release.indexOf('-', dot);
    return Integer.parseInt(release.substring(0, dot)) * 100
        + Integer.parseInt(release.substring(dot + 1, dash));
  }
}
