package org.warder.client.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.freebsd.FreeBsdInputException;
import org.warder.client.freebsd.PkgFingerprint;
import org.warder.client.freebsd.PkgRepo;
import org.warder.client.freebsd.PkgRepos;
import org.warder.client.host.HostOs;
import org.warder.client.jail.Jail;
import org.warder.client.jail.JailDevfs;
import org.warder.client.jail.JailException;
import org.warder.client.jail.Jails;
import org.warder.client.jail.props.Implied;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.jail.props.PropertyException;
import org.warder.client.plan.Plan;
import org.warder.client.plan.Step;
import org.warder.client.plan.StepFailedException;
import org.warder.client.progress.Reporter;
import org.warder.client.runtime.JailRuntime;
import org.warder.client.runtime.RuntimeSpec;
import org.warder.client.state.StateFiles;
import org.warder.index.PluginManifest;

/**
 * {@code warder fetch -P}: the plugin install flow of DESIGN §5, as one {@link Plan}. From the
 * plugin's verified manifest: its release (fetched if missing), a jail with the manifest's
 * properties under the user's, the jail's pkg repository configuration with one fingerprint file
 * per entry, kernel modules, the packages, the artifact at its pinned commit from the signed
 * bundle, the overlay, {@code post_install.sh} with its output streamed, and the admin portal.
 * Every decision (the jail's name, its devfs ruleset, every argv) is taken when the plan is built,
 * so {@code --dry-run} prints exactly what an install runs. Any failure undoes the steps that
 * completed (the jail, a fetched release) unless {@code keep}, and names the step with the last
 * lines of its output. Not thread-safe.
 */
public final class PluginInstaller {
  /**
   * Where a NAT jail's admin portal is reached: the host, on the port nat_forwards maps the
   * portal's port to ({@link AdminPortal}); the jail's own address is private to the host.
   */
  private static final String NAT_PORTAL_HOST = "127.0.0.1";

  private final Jails jails;
  private final HostOs os;
  private final Clock clock;
  private final Reporter reporter;

  /**
   * What to install, where, with which properties; {@code allowances}: what the administrator
   * allows the manifest beyond {@link ManifestPolicy}'s defaults.
   */
  public record Request(
      String plugin,
      Optional<String> jailName,
      List<String> properties,
      boolean keep,
      PkgRepos.FreeBsdRepo freebsdRepo,
      PluginAllowances allowances) {
    public Request {
      properties = List.copyOf(properties);
    }
  }

  /** What an install made. */
  public record Installed(
      String jail, String plugin, String commit, Optional<String> adminPortal) {}

  /** The parts of the host an install uses beyond the jails: the catalogue and the release. */
  public interface Sources extends PluginSources {
    /** Destroys a release this install fetched. */
    void destroyRelease(String release) throws ClientException, IOException, InterruptedException;

    /** Where plugins come from, for the jail's record (the repository's name and URL). */
    String origin();
  }

  /** An install ready to run: the plugin, the jail it goes into, and the plan. */
  public static final class Planned {
    private final Request request;
    private final ResolvedPlugin plugin;
    private final JailName jail;
    private final PluginAddress ip;
    private final Plan plan;
    private final ScriptOutput output;
    private final Duration resolved;

    private Planned(
        Request request,
        ResolvedPlugin plugin,
        JailName jail,
        PluginAddress ip,
        Plan plan,
        ScriptOutput output,
        Duration resolved) {
      this.request = request;
      this.plugin = plugin;
      this.jail = jail;
      this.ip = ip;
      this.plan = plan;
      this.output = output;
      this.resolved = resolved;
    }

    public ResolvedPlugin plugin() {
      return plugin;
    }

    public JailName jail() {
      return jail;
    }

    public Plan plan() {
      return plan;
    }
  }

  public PluginInstaller(Jails jails, HostOs os, Clock clock, Reporter reporter) {
    this.jails = jails;
    this.os = os;
    this.clock = clock;
    this.reporter = reporter;
  }

  /** Plans and runs the install; on failure rolls back (unless keep) and throws naming the step. */
  public Installed install(Request request, Sources sources)
      throws PluginInstallException, InterruptedException {
    return install(plan(request, sources));
  }

  /**
   * Resolves the plugin and takes every decision of the install: refused, naming the step, when the
   * manifest asks for more than it is allowed or the jail cannot be named. Runs nothing.
   */
  public Planned plan(Request request, Sources sources)
      throws PluginInstallException, InterruptedException {
    long start = System.nanoTime();
    String step = "resolve";
    try {
      ResolvedPlugin plugin = sources.resolve(request.plugin());
      Duration resolved = Duration.ofNanos(System.nanoTime() - start);
      PluginManifest manifest = plugin.manifest();
      step = "allow";
      ManifestPolicy.Decision decision =
          ManifestPolicy.decide(
              plugin.qualifiedId(),
              ManifestPolicy.asks(manifest, request.properties()),
              request.allowances());
      step = "create";
      JailName name =
          JailName.of(
              request.jailName().isPresent()
                  ? request.jailName().get()
                  : freeName(defaultName(plugin.id())));
      Implied implied =
          JailProperties.forPlugin(
              new LinkedHashMap<>(manifest.properties()), request.properties());
      JailProperties props = implied.props();
      Optional<Integer> ruleset =
          manifest.devfsRuleset().isPresent()
              ? Optional.of(jails.creator().freeDevfsRuleset())
              : Optional.empty();
      Path dir = jails.store().dir(name.value(), false);
      RuntimeSpec spec = spec(name, props, ruleset, manifest);
      JailRuntime runtime = jails.runtime();
      PluginAddress ip = new PluginAddress(runtime, name, props);
      ScriptOutput output = new ScriptOutput();
      List<PkgRepo> repos = repos(manifest);
      List<Step> steps = new ArrayList<>();
      steps.add(new AllowStep(decision));
      steps.add(
          new ReleaseStep(sources, manifest.release(), sources.hasRelease(manifest.release())));
      steps.add(
          new CreateJailStep(
              jails,
              name,
              dir,
              manifest.release(),
              implied,
              plugin.id(),
              sources.origin() + " publisher " + plugin.publisher()));
      if (manifest.devfsRuleset().isPresent()) {
        steps.add(
            new DevfsStep(
                jails, name, dir, manifest.devfsRuleset().get(), ruleset, os != HostOs.FREEBSD));
      }
      steps.add(
          new JailRootWrite(
              "pkg-config",
              jails,
              spec,
              false,
              PkgRepos.describe(spec.root(), repos, request.freebsdRepo()),
              (root, r) -> PkgRepos.write(root, repos, request.freebsdRepo())));
      steps.add(new KmodStep(runtime, manifest.kmods()));
      steps.add(new StartStep(jails, spec, new Jail(name, props, false)));
      steps.add(PkgStep.of(runtime, name, List.of("install", "-y"), manifest.pkgs(), output));
      String commit = manifest.artifactRef().orElse("none");
      if (manifest.artifactRef().isPresent()) {
        Path pluginDir = dir.resolve("plugin");
        steps.addAll(
            ArtifactStep.withScript(
                jails,
                sources,
                plugin,
                commit,
                pluginDir,
                spec,
                "post_install",
                "post_install.sh",
                ip,
                output));
      }
      steps.add(new RecordStep(dir, plugin, commit, clock));
      return new Planned(request, plugin, name, ip, new Plan(steps), output, resolved);
    } catch (ClientException | IOException | RuntimeException e) {
      throw new PluginInstallException(step, message(e), List.of(), e);
    }
  }

  /** Runs a planned install; on failure rolls back (unless keep) and throws naming the step. */
  public Installed install(Planned planned) throws PluginInstallException, InterruptedException {
    ResolvedPlugin plugin = planned.plugin;
    PluginManifest manifest = plugin.manifest();
    plugin.warnings().forEach(w -> reporter.info("manifest: " + w));
    reporter.info(
        "plugin "
            + plugin.qualifiedId()
            + " revision "
            + manifest.revision()
            + " ("
            + manifest.name()
            + ") for "
            + manifest.release()
            + ", artifact "
            + manifest.artifactRef().orElse("none"));
    List<Plan.Timing> timings;
    try {
      timings = planned.plan.run(reporter, planned.request.keep(), planned.output::tail);
    } catch (StepFailedException e) {
      throw new PluginInstallException(e.step(), message(e.failure()), e.tail(), e.failure());
    }
    Map<String, Duration> times = new LinkedHashMap<>();
    times.put("resolve", planned.resolved);
    timings.forEach(t -> times.merge(t.step(), t.took(), Duration::plus));
    List<String> parts = new ArrayList<>();
    times.forEach(
        (k, v) -> parts.add(String.format(Locale.ROOT, "%s %.2fs", k, v.toNanos() / 1e9)));
    reporter.info("step times: " + String.join(", ", parts));
    String jail = planned.jail.value();
    reporter.info("plugin " + plugin.qualifiedId() + " is installed in jail " + jail);
    Optional<String> portal = Optional.empty();
    if (manifest.artifactRef().isPresent()) {
      try {
        Jail installed = jails.store().get(jail);
        portal =
            portal(
                jails.store().dir(jail, false).resolve("plugin/ui.json"),
                installed.props().isTrue("nat") ? NAT_PORTAL_HOST : planned.ip.resolve(),
                installed.props());
      } catch (IOException | JailException e) {
        reporter.warning("cannot read the admin portal of " + jail + ": " + e.getMessage());
      }
    }
    portal.ifPresent(p -> reporter.info("Admin Portal: " + p));
    return new Installed(jail, plugin.qualifiedId(), manifest.artifactRef().orElse("none"), portal);
  }

  /**
   * The runtime description the jail will have once made: its properties with its own devfs
   * ruleset, whose rules are rebuilt before each start.
   */
  private RuntimeSpec spec(
      JailName name, JailProperties props, Optional<Integer> ruleset, PluginManifest manifest)
      throws PropertyException, JailException, IOException, FreeBsdInputException {
    if (ruleset.isEmpty()) {
      return jails.lifecycle().spec(new Jail(name, props, false));
    }
    JailProperties own = props.with(Map.of("devfs_ruleset", Integer.toString(ruleset.get())));
    RuntimeSpec s = jails.lifecycle().spec(new Jail(name, own, false));
    return s.withDevfs(
        Integer.toString(ruleset.get()),
        JailDevfs.rebuild(ruleset.get(), own, manifest.devfsRuleset().get()));
  }

  /** The manifest's pkg repositories, each with its fingerprints. */
  static List<PkgRepo> repos(PluginManifest m) throws FreeBsdInputException {
    List<PkgRepo> repos = new ArrayList<>();
    for (Map.Entry<String, List<PluginManifest.Fingerprint>> e : m.fingerprints().entrySet()) {
      List<PkgFingerprint> fps = new ArrayList<>();
      for (PluginManifest.Fingerprint f : e.getValue()) {
        fps.add(PkgFingerprint.of(f.function(), f.fingerprint()));
      }
      repos.add(PkgRepo.of(e.getKey(), m.packagesite(), fps));
    }
    return repos;
  }

  /** {@code base}, or {@code base_1}, {@code base_2}, ... when a jail or template has the name. */
  private String freeName(String base) throws JailException, IOException, InterruptedException {
    String name = base;
    for (int i = 1; jails.creator().nameTaken(name); i++) {
      name = base + "_" + i;
    }
    return name;
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /** A jail name from a plugin id: letters, digits, '-' and '_' only. */
  static String defaultName(String id) {
    String name = id.replaceAll("[^A-Za-z0-9_-]", "-").replaceAll("^-+", "");
    return name.isEmpty() ? "plugin" : name.length() > 60 ? name.substring(0, 60) : name;
  }

  private static Optional<String> portal(Path uiJson, String ip, JailProperties props)
      throws IOException {
    if (!Files.isRegularFile(uiJson, LinkOption.NOFOLLOW_LINKS) || Files.size(uiJson) > 65536) {
      return Optional.empty();
    }
    JsonNode ui = StateFiles.mapper().readTree(uiJson.toFile());
    return AdminPortal.render(
        ui.path("adminportal").asText(""), ip, props.isTrue("nat"), props.value("nat_forwards"));
  }
}
