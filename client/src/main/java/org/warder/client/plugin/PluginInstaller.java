package org.warder.client.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandRunner;
import org.warder.client.freebsd.FreeBsdCommands;
import org.warder.client.freebsd.PkgRepos;
import org.warder.client.host.HostOs;
import org.warder.client.jail.CreateRequest;
import org.warder.client.jail.Jail;
import org.warder.client.jail.JailSource;
import org.warder.client.jail.Jails;
import org.warder.client.jail.props.IpAssignment;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.layout.HostLayout;
import org.warder.client.state.StateFiles;
import org.warder.index.PluginManifest;
import org.warder.signing.AtomicFiles;
import org.warder.signing.Digests;

/**
 * {@code warder fetch -P}: the plugin install flow of DESIGN §5. From the plugin's verified
 * manifest: its release (fetched if missing), a jail with the manifest's properties under the
 * user's, the jail's pkg repository configuration with one fingerprint file per entry, kernel
 * modules (FreeBSD), the packages, the artifact at its pinned commit from the signed bundle, the
 * overlay, {@code post_install.sh} with its output streamed, and the admin portal. Any failure
 * removes everything the install made (jail, datasets, fetched release, cache entries) unless
 * {@code keep}, and names the step with the last lines of its output. Not thread-safe.
 */
public final class PluginInstaller {
  private final HostLayout layout;
  private final Jails jails;
  private final CommandRunner runner;
  private final HostOs os;
  private final Clock clock;
  private final PrintWriter out;

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
    void destroyRelease(String release) throws Exception;

    /** The directory verified downloads go to, for cleaning up after a failure. */
    Path cache();

    /** Where plugins come from, for the jail's record (the repository's name and URL). */
    String origin();
  }

  public PluginInstaller(
      HostLayout layout,
      Jails jails,
      CommandRunner runner,
      HostOs os,
      Clock clock,
      PrintWriter out) {
    this.layout = layout;
    this.jails = jails;
    this.runner = runner;
    this.os = os;
    this.clock = clock;
    this.out = out;
  }

  /** Runs the install; on failure rolls back (unless keep) and throws naming the step. */
  public Installed install(Request request, Sources sources) throws PluginInstallException {
    Run run = new Run(request, sources);
    try {
      return run.execute();
    } catch (Exception e) {
      if (!request.keep()) {
        run.rollback();
      } else {
        out.println("--keep: leaving jail " + run.jailName + " as it is for inspection");
      }
      throw new PluginInstallException(
          run.step, e.getMessage() == null ? e.toString() : e.getMessage(), run.tail(), e);
    }
  }

  /** One install: its progress, what it made, and the output of the running step. */
  private final class Run {
    final Request request;
    final Sources sources;
    String step = "resolve";
    final Map<String, Long> timings = new LinkedHashMap<>();
    long stepStart = System.nanoTime();
    String jailName = "";
    boolean jailCreated;
    Optional<String> fetchedRelease = Optional.empty();
    final Set<Path> cacheBefore;
    final PluginSteps steps = new PluginSteps(jails, runner, out);

    Run(Request request, Sources sources) {
      this.request = request;
      this.sources = sources;
      this.cacheBefore = listing(sources.cache());
    }

    /** Ends the current step (its time is kept for the summary) and starts {@code next}. */
    void step(String next) {
      long now = System.nanoTime();
      timings.merge(step, now - stepStart, Long::sum);
      step = next;
      stepStart = now;
    }

    Installed execute() throws Exception {
      ResolvedPlugin plugin = sources.resolve(request.plugin());
      PluginManifest manifest = plugin.manifest();
      plugin.warnings().forEach(w -> out.println("manifest: " + w));
      out.println(
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

      step("allow");
      ManifestPolicy.Decision decision =
          ManifestPolicy.decide(
              plugin.qualifiedId(),
              ManifestPolicy.asks(manifest, request.properties()),
              request.allowances());
      decision.lines().forEach(out::println);
      out.flush();

      step("release");
      if (sources.ensureRelease(manifest.release())) {
        fetchedRelease = Optional.of(manifest.release());
      }

      step("create");
      jailName = request.jailName().orElseGet(() -> freeName(defaultName(plugin.id())));
      Map<String, String> manifestProps = new LinkedHashMap<>(manifest.properties());
      JailProperties merged = JailProperties.forPlugin(manifestProps, request.properties());
      List<String> props = new ArrayList<>();
      merged.explicit().forEach((k, v) -> props.add(k + "=" + v));
      Jail jail =
          jails
              .creator()
              .create(
                  new CreateRequest(
                      JailName.of(jailName),
                      JailSource.Release.of(manifest.release()),
                      CreateRequest.Mode.THIN,
                      props));
      jailCreated = true;
      jail =
          jails
              .creator()
              .markPlugin(jail, plugin.id(), sources.origin() + " publisher " + plugin.publisher());
      if (manifest.devfsRuleset().isPresent()) {
        step("devfs");
        jail = jails.creator().ownDevfsRuleset(jail, manifest.devfsRuleset().get());
        if (os != HostOs.FREEBSD) {
          out.println(
              "devfs: recorded for jail(8); the sandbox gives the jail bwrap's minimal /dev instead");
        }
      }
      Path root = layout.path(jail.rootName());
      Path dir = jails.store().dir(jailName, false);

      step("pkg-config");
      steps.whileStopped(
          jail,
          root,
          confined -> PluginSteps.writePkgRepos(manifest, confined, request.freebsdRepo()));

      step("kmods");
      for (String module : manifest.kmods()) {
        if (os == HostOs.FREEBSD) {
          runner.check(Command.of(FreeBsdCommands.kldload(module)));
        } else {
          out.println("kmods: skipping kldload " + module + " (not a FreeBSD host)");
        }
      }

      step("start");
      jails.lifecycle().start(jailName);

      step("pkg");
      steps.pkg(jail, List.of("install", "-y"), manifest.pkgs());

      String ip = address(jail.props());
      Optional<String> portal = Optional.empty();
      String commit = "none";
      if (manifest.artifactRef().isPresent()) {
        step("artifact");
        commit = manifest.artifactRef().get();
        Path pluginDir = dir.resolve("plugin");
        steps.checkout(sources.bundle(plugin), commit, pluginDir);
        boolean[] placed = {false};
        steps.whileStopped(
            jail,
            root,
            confined -> {
              steps.overlay(pluginDir, confined);
              placed[0] = PluginSteps.place(pluginDir, confined, "post_install.sh");
            });
        step("post_install");
        if (placed[0]) {
          steps.run(jail, "post_install.sh", scriptEnv(ip));
        }
        portal = portal(pluginDir.resolve("ui.json"), ip, jail.props());
      }

      step("record");
      record(dir, plugin, commit, clock);
      step("done");
      List<String> parts = new ArrayList<>();
      timings.forEach(
          (k, v) -> parts.add(String.format(java.util.Locale.ROOT, "%s %.2fs", k, v / 1e9)));
      out.println("step times: " + String.join(", ", parts));
      out.println("plugin " + plugin.qualifiedId() + " is installed in jail " + jailName);
      portal.ifPresent(p -> out.println("Admin Portal: " + p));
      return new Installed(jailName, plugin.qualifiedId(), commit, portal);
    }

    List<String> tail() {
      return steps.tail();
    }

    void rollback() {
      out.println("rolling back the install of " + request.plugin());
      if (jailCreated) {
        try {
          jails.destroyer().destroy(jailName, true);
        } catch (Exception e) {
          out.println("warning: could not destroy jail " + jailName + ": " + e.getMessage());
        }
      }
      if (fetchedRelease.isPresent()) {
        try {
          sources.destroyRelease(fetchedRelease.get());
        } catch (Exception e) {
          out.println(
              "warning: could not destroy release " + fetchedRelease.get() + ": " + e.getMessage());
        }
      }
      for (Path p : listing(sources.cache())) {
        if (!cacheBefore.contains(p)) {
          try {
            Files.deleteIfExists(p);
          } catch (IOException e) {
            out.println("warning: could not remove " + p + ": " + e.getMessage());
          }
        }
      }
    }

    private String freeName(String base) {
      String name = base;
      try {
        for (int i = 1; jails.store().find(name).isPresent(); i++) {
          name = base + "_" + i;
        }
      } catch (Exception e) {
        return name;
      }
      return name;
    }
  }

  /** The environment of plugin scripts: the jail's address under iocage's name and warder's. */
  static Map<String, String> scriptEnv(String ip) {
    return Map.of("IOCAGE_PLUGIN_IP", ip, "WARDER_PLUGIN_IP", ip);
  }

  /** Records what the jail holds: manifest.json as signed, and plugin.json. */
  static void record(Path dir, ResolvedPlugin plugin, String commit, Clock clock)
      throws IOException {
    AtomicFiles.write(dir.resolve("manifest.json"), plugin.manifestBytes());
    PluginManifest manifest = plugin.manifest();
    ObjectNode record =
        JsonNodeFactory.instance
            .objectNode()
            .put("plugin", plugin.qualifiedId())
            .put("publisher", plugin.publisher())
            .put("id", plugin.id())
            .put("revision", manifest.revision())
            .put("release", manifest.release())
            .put("commit", commit)
            .put("manifest_sha256", Digests.sha256Hex(plugin.manifestBytes()))
            .put("installed", clock.instant().toString());
    AtomicFiles.write(
        dir.resolve("plugin.json"),
        StateFiles.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
  }

  /** A jail name from a plugin id: letters, digits, '-' and '_' only. */
  static String defaultName(String id) {
    String name = id.replaceAll("[^A-Za-z0-9_-]", "-").replaceAll("^-+", "");
    return name.isEmpty() ? "plugin" : name.length() > 60 ? name.substring(0, 60) : name;
  }

  /** The address shown for the jail: its first configured IPv4, else IPv6, else loopback. */
  static String address(JailProperties props) {
    List<IpAssignment> v4 = props.ip4Addresses();
    if (!v4.isEmpty()) {
      return v4.get(0).address();
    }
    List<IpAssignment> v6 = props.ip6Addresses();
    return v6.isEmpty() ? "127.0.0.1" : v6.get(0).address();
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

  private static Set<Path> listing(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return new HashSet<>(files.filter(Files::isRegularFile).toList());
    } catch (IOException e) {
      return Set.of();
    }
  }
}
