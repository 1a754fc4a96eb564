package org.warder.client.plugin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.warder.client.exec.Command;
import org.warder.client.freebsd.FreeBsdCommands;
import org.warder.client.freebsd.JailConf;
import org.warder.client.freebsd.PkgFingerprint;
import org.warder.client.freebsd.PkgRepo;
import org.warder.client.freebsd.PkgRepos;
import org.warder.client.jail.JailDevfs;
import org.warder.client.jail.JailStore;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.layout.HostLayout;
import org.warder.client.runtime.BubblewrapRuntime;
import org.warder.client.runtime.RuntimeSpec;
import org.warder.client.storage.DirStorage;
import org.warder.client.storage.Storage;
import org.warder.index.PluginManifest;

/**
 * The {@code warder fetch -P --dry-run} plan: every host command and file the install would run or
 * write, for the FreeBSD runtime ({@code --runtime freebsd}, on any OS) or the Linux sandbox, built
 * with the same argv builders as a real install. Nothing is run or written. Stateless.
 */
public final class PluginPlan {
  private PluginPlan() {}

  /**
   * The plan for installing {@code plugin} into jail {@code jailName}.
   *
   * @param storage the host's storage adapter, constructed over {@code runner}
   * @param releasePresent whether the manifest's release is already fetched
   * @param allowances what the administrator allows the manifest beyond the defaults; the plan
   *     starts with a "will allow" line for each grant, and is refused like the install
   */
  @SuppressWarnings(
      "ModifiedButNotUsed") // kept as it was; this hand-written plan is being replaced (issue 9,
  // point 2)
  public static List<String> plan(
      ResolvedPlugin plugin,
      String jailName,
      List<String> userProperties,
      boolean freebsd,
      HostLayout layout,
      Storage storage,
      PlanRunner runner,
      boolean releasePresent,
      PkgRepos.FreeBsdRepo repoPolicy,
      PluginAllowances allowances)
      throws Exception {
    PluginManifest m = plugin.manifest();
    JailName name = JailName.of(jailName);
    ManifestPolicy.decide(plugin.qualifiedId(), ManifestPolicy.asks(m, userProperties), allowances)
        .lines()
        .forEach(runner::note);
    if (!releasePresent) {
      runner.note(
          "fetch release "
              + m.release()
              + " (warder fetch -r "
              + m.release()
              + "), verified against signed metadata");
    }
    String dir = HostLayout.jailName(jailName);
    String source = HostLayout.releaseName(m.release()) + "/root";
    if (storage.kind().equals("zfs")) {
      storage.create(dir); // the zfs adapter only runs commands: recorded, not run
      storage.cloneOf(source, jailName, dir + "/root");
    } else {
      runner.note("mkdir -p " + layout.path(dir).resolve("root"));
      runner.run(DirStorage.copyCommand(layout.path(source), layout.path(dir + "/root")));
    }
    JailProperties props =
        JailProperties.forPlugin(new LinkedHashMap<>(m.properties()), userProperties);
    runner.note("write " + layout.path(dir).resolve("config.json") + " " + props.explicit());
    Path root = layout.path(dir).resolve("root");
    List<PkgRepo> repos = new ArrayList<>();
    for (Map.Entry<String, List<PluginManifest.Fingerprint>> e : m.fingerprints().entrySet()) {
      List<PkgFingerprint> fps = new ArrayList<>();
      for (PluginManifest.Fingerprint f : e.getValue()) {
        fps.add(PkgFingerprint.of(f.function(), f.fingerprint()));
      }
      PkgRepo repo = PkgRepo.of(e.getKey(), m.packagesite(), fps);
      repos.add(repo);
      runner.note(
          "write "
              + root.resolve("usr/local/etc/pkg/repos/" + repo.name() + ".conf")
              + ": "
              + PkgRepos.conf(repo).replaceAll("\\s+", " ").strip());
      for (int i = 0; i < fps.size(); i++) {
        runner.note(
            "write "
                + root.resolve(
                    "usr/local/etc/pkg/fingerprints/"
                        + repo.name()
                        + "/trusted/"
                        + repo.name()
                        + "."
                        + (i + 1))
                + ": function: "
                + fps.get(i).function()
                + " fingerprint: "
                + fps.get(i).fingerprint());
      }
    }
    runner.note(
        repoPolicy == PkgRepos.FreeBsdRepo.DISABLE
            ? "write "
                + root.resolve("usr/local/etc/pkg/repos/FreeBSD.conf")
                + ": FreeBSD: { enabled: no }"
            : "keep FreeBSD's own package repository enabled (--disable-freebsd-repo turns it off)");
    for (String module : m.kmods()) {
      if (freebsd) {
        runner.run(Command.of(FreeBsdCommands.kldload(module)));
      } else {
        runner.note("skip kldload " + module + " (the sandbox shares the Linux kernel)");
      }
    }
    if (m.devfsRuleset().isPresent()) {
      int n = JailDevfs.freeRuleset(new JailStore(layout));
      props = props.with(Map.of("devfs_ruleset", Integer.toString(n)));
      runner.note(
          "write "
              + layout.path(dir).resolve("devfs.json")
              + ": the manifest's devfs rules, for ruleset "
              + n
              + " of the jail's own (devfs_ruleset="
              + n
              + ")");
      if (freebsd) {
        for (List<String> argv : JailDevfs.rebuild(n, props, m.devfsRuleset().get())) {
          runner.run(Command.of(argv));
        }
      } else {
        runner.note("skip the devfs ruleset (the sandbox gives the jail bwrap's minimal /dev)");
      }
    }
    Path conf = layout.path(dir).resolve("jail.conf");
    if (freebsd) {
      runner.note(
          "write " + conf + ":\n" + JailConf.render(name, root, props, Optional.empty()).strip());
      runner.run(Command.of(FreeBsdCommands.jailCreate(conf, name)));
      if (!m.pkgs().isEmpty()) {
        runner.run(Command.of(FreeBsdCommands.pkgInstall(name, m.pkgs())));
      }
    } else {
      RuntimeSpec spec =
          new RuntimeSpec(
              name,
              root,
              layout.path(dir),
              jailName,
              props.value("ip4").equals("inherit"),
              List.of(),
              props.value("exec_start"),
              props.value("exec_stop"),
              Map.of(),
              List.of());
      runner.run(
          Command.of(
              new BubblewrapRuntime(
                      runner, new org.warder.client.runtime.ProcessTable(), layout.root())
                  .startArgv(spec)));
      if (!m.pkgs().isEmpty()) {
        List<String> argv = new ArrayList<>(List.of("pkg", "install", "-y"));
        argv.addAll(m.pkgs());
        runner.note("in the jail: " + String.join(" ", argv));
      }
    }
    if (m.artifactRef().isPresent()) {
      runner.note(
          "check out commit "
              + m.artifactRef().get()
              + " of the signed bundle "
              + plugin
                  .bundle()
                  .map(t -> t.path() + " (sha256 " + t.sha256().orElse("?") + ")")
                  .orElse("")
              + " into "
              + layout.path(dir).resolve("plugin"));
      if (freebsd) {
        runner.run(Command.of(FreeBsdCommands.jailRemove(conf, name)));
      } else {
        runner.note("stop the sandbox of " + jailName);
      }
      runner.note(
          "with the jail stopped: copy plugin/overlay/ onto "
              + root
              + " and plugin/post_install.sh to "
              + root.resolve("root/post_install.sh")
              + " (descriptor-relative, never through a symlink of the jail)");
      if (freebsd) {
        runner.run(Command.of(FreeBsdCommands.jailCreate(conf, name)));
      } else {
        runner.note("start the sandbox of " + jailName + " again");
      }
      String ip = PluginInstaller.address(props);
      List<String> post = List.of("/bin/sh", "-c", "exec 2>&1; exec /bin/sh /root/post_install.sh");
      Map<String, String> env = Map.of("IOCAGE_PLUGIN_IP", ip, "WARDER_PLUGIN_IP", ip);
      if (freebsd) {
        runner.run(
            Command.of(
                FreeBsdCommands.jexec(
                    name, false, Optional.empty(), new java.util.TreeMap<>(env), post)));
      } else {
        runner.note(
            "in the jail, with IOCAGE_PLUGIN_IP="
                + ip
                + " WARDER_PLUGIN_IP="
                + ip
                + ": "
                + String.join(" ", post));
      }
      runner.note("print the admin portal from plugin/ui.json with %%IP%% = " + ip);
    }
    return runner.lines();
  }
}
