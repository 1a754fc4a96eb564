package org.warder.client.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandResult;
import org.warder.client.freebsd.PkgRepos;
import org.warder.client.host.HostOs;
import org.warder.client.jail.Jails;
import org.warder.client.layout.HostLayout;
import org.warder.client.progress.Reporter;
import org.warder.client.runtime.FreeBsdJailRuntime;
import org.warder.client.storage.DirStorage;
import org.warder.client.testing.RecordingCommandRunner;
import org.warder.index.PluginIndex;
import org.warder.index.PluginManifest;
import org.warder.signing.tuf.TargetFile;

/**
 * The plugin install plan without the command line and without root: jails on directory storage in
 * a temporary directory, FreeBSD's runtime over a recording command runner that answers {@code jls}
 * with the jails {@code jail -c} started. What {@code --dry-run} describes is what runs, and a
 * failing step undoes exactly the steps that completed, in reverse order.
 */
class PluginInstallPlanTest {
  private static final String REL = "14.2-RELEASE";
  private static final String FP = "a".repeat(64);
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  @TempDir Path tmp;

  /** A FreeBSD host's commands, recorded; pkg fails when {@code pkgFails}. */
  private static final class Host {
    final Set<String> running = new java.util.LinkedHashSet<>();
    final List<String> events = new ArrayList<>();
    final RecordingCommandRunner runner;

    Host(boolean pkgFails) {
      runner =
          new RecordingCommandRunner(
              argv -> {
                String name = argv.get(argv.size() - 1);
                if (argv.get(0).equals("jail") && argv.contains("-c")) {
                  running.add(name);
                } else if (argv.get(0).equals("jail") && argv.contains("-r")) {
                  running.remove(name);
                } else if (argv.get(0).equals("jls")) {
                  return new CommandResult(0, jls(), "");
                } else if (argv.get(0).equals("pkg") && pkgFails) {
                  return new CommandResult(1, "", "pkg: No packages available");
                }
                if (!argv.get(0).equals("jls")) {
                  events.add(Command.of(argv).display());
                }
                return new CommandResult(0, "", "");
              });
    }

    private String jls() {
      StringBuilder json =
          new StringBuilder("{\"__version\": \"2\", \"jail-information\": {\"jail\": [");
      int jid = 1;
      for (String name : running) {
        json.append(jid > 1 ? "," : "")
            .append("{\"jid\":\"")
            .append(jid++)
            .append("\",\"name\":\"")
            .append(name)
            .append("\",\"path\":\"/\",\"host.hostname\":\"")
            .append(name)
            .append("\"}");
      }
      return json.append("]}}").toString();
    }
  }

  /** A catalogue of one plugin whose release the host lacks until the plan fetches it. */
  private static final class Sources implements PluginInstaller.Sources {
    final Host host;
    final HostLayout layout;
    final ResolvedPlugin plugin;

    Sources(Host host, HostLayout layout, ResolvedPlugin plugin) {
      this.host = host;
      this.layout = layout;
      this.plugin = plugin;
    }

    @Override
    public ResolvedPlugin resolve(String name) {
      return plugin;
    }

    @Override
    public void bundle(ResolvedPlugin p, java.io.OutputStream verified) throws IOException {
      throw new IOException("expected no artifact in this test");
    }

    @Override
    public boolean hasRelease(String release) {
      return Files.isDirectory(layout.path(HostLayout.releaseName(release)));
    }

    @Override
    public boolean ensureRelease(String release) throws IOException {
      if (hasRelease(release)) {
        return false;
      }
      Files.createDirectories(layout.path(HostLayout.releaseName(release)).resolve("root"));
      host.events.add("fetched release " + release);
      return true;
    }

    @Override
    public void destroyRelease(String release) throws IOException {
      host.events.add(
          "destroyed release "
              + release
              + (Files.exists(layout.path("jails/app")) ? " before the jail" : " after the jail"));
      org.warder.client.host.DirectoryTrees.delete(layout.path(HostLayout.releaseName(release)));
    }

    @Override
    public String origin() {
      return "main https://registry.example.org";
    }
  }

  private static ResolvedPlugin plugin() throws Exception {
    String json =
        """
        {"name": "App", "release": "%s", "artifact": "", "pkgs": ["nginx", "php83"],
         "kmods": ["linux64"],
         "packagesite": "https://pkg.example.org/${ABI}/latest",
         "fingerprints": {"apprepo": [{"function": "sha256", "fingerprint": "%s"}]},
         "devfs_ruleset": {"paths": {"bpf*": null}, "includes": []}}
        """
            .formatted(REL, FP);
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    PluginManifest manifest = PluginManifest.parse(bytes).value();
    PluginIndex.Entry entry =
        new PluginIndex.Entry(
            "app.json",
            "App",
            "",
            "an app",
            false,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Map.of());
    return new ResolvedPlugin(
        "acme",
        "app",
        entry,
        TargetFile.of("acme/app/manifest.json", bytes.length, "b".repeat(64)),
        bytes,
        manifest,
        List.of(),
        Optional.empty());
  }

  private record Fixture(
      Host host,
      HostLayout layout,
      PluginInstaller installer,
      Sources sources,
      Reporter reporter) {}

  private Fixture fixture(boolean pkgFails, List<String> reported) throws Exception {
    Host host = new Host(pkgFails);
    HostLayout layout = new HostLayout(tmp.resolve("warder"));
    Reporter reporter =
        new Reporter() {
          @Override
          public void info(String message) {
            reported.add(message);
          }

          @Override
          public void warning(String message) {
            reported.add("warning: " + message);
          }

          @Override
          public void output(String line) {
            reported.add("  " + line);
          }
        };
    Jails jails =
        new Jails(
            layout,
            new DirStorage(layout.root(), host.runner, false),
            new FreeBsdJailRuntime(host.runner, layout.root()),
            CLOCK,
            reporter);
    PluginInstaller installer = new PluginInstaller(jails, HostOs.FREEBSD, CLOCK, reporter);
    return new Fixture(host, layout, installer, new Sources(host, layout, plugin()), reporter);
  }

  private static PluginInstaller.Request request() {
    return new PluginInstaller.Request(
        "acme/app",
        Optional.empty(),
        List.of("vnet=0", "ip4_addr=lo0|10.0.0.5"),
        false,
        PkgRepos.FreeBsdRepo.DISABLE,
        PluginAllowances.NONE);
  }

  /** The lines of a plan that are host commands, without their step's name. */
  private static List<String> commands(List<String> described) {
    return described.stream()
        .map(l -> l.substring(l.indexOf(": ") + 2))
        .filter(
            l ->
                l.startsWith("kldload ")
                    || l.startsWith("devfs ")
                    || l.startsWith("jail ")
                    || l.startsWith("pkg ")
                    || l.startsWith("jexec "))
        .toList();
  }

  @Test
  void testDescribe_equalsTheCommandsTheInstallRuns() throws Exception {
    List<String> reported = new ArrayList<>();
    Fixture f = fixture(false, reported);
    PluginInstaller.Planned planned = f.installer().plan(request(), f.sources());
    List<String> described = planned.plan().describe();
    assertThat(f.host().events).as("planning runs nothing").isEmpty();

    f.installer().install(planned);

    List<String> ran =
        f.host().events.stream()
            .filter(e -> !e.startsWith("cp ") && !e.startsWith("fetched release"))
            .toList();
    assertThat(commands(described))
        .isEqualTo(ran)
        .contains("kldload -n linux64", "pkg -j app install -y nginx php83")
        .anyMatch(c -> c.startsWith("devfs rule -s 1000 add path 'bpf*' unhide"));
    assertThat(described)
        .contains(
            "release: fetch release "
                + REL
                + " (warder fetch -r "
                + REL
                + "), verified against signed metadata")
        .anyMatch(
            l -> l.startsWith("start: write " + f.layout().path("jails/app/jail.conf") + ":"));
    Path conf = f.layout().path("jails/app/jail.conf");
    String written = Files.readString(conf).strip();
    assertThat(described).anyMatch(l -> l.endsWith(written));
    assertThat(f.layout().path("jails/app/root/usr/local/etc/pkg/repos/apprepo.conf"))
        .content()
        .contains("url: \"https://pkg.example.org/${ABI}/latest\"");
    assertThat(reported).contains("plugin acme/app is installed in jail app");
  }

  @Test
  void testRollback_afterAFailingPkgStepUndoesCreateAndReleaseInReverseAndKeepsWhatWasThere()
      throws Exception {
    List<String> reported = new ArrayList<>();
    Fixture f = fixture(true, reported);
    Path cache = Files.createDirectories(f.layout().repoCache("main"));
    Files.writeString(cache.resolve("earlier.bundle"), "downloaded before");
    Path other = Files.createDirectories(f.layout().path("jails/other"));
    Files.writeString(other.resolve("keep"), "another jail's file");

    assertThatThrownBy(() -> f.installer().install(request(), f.sources()))
        .isInstanceOf(PluginInstallException.class)
        .hasMessageContaining("plugin install failed at step 'pkg'")
        .hasMessageContaining("pkg: No packages available")
        .satisfies(e -> assertThat(((PluginInstallException) e).step()).isEqualTo("pkg"));

    assertThat(f.host().events).first().isEqualTo("fetched release " + REL);
    assertThat(f.host().events).last().isEqualTo("destroyed release " + REL + " after the jail");
    assertThat(f.host().events)
        .contains("jail -f " + f.layout().path("jails/app/jail.conf") + " -r app");
    assertThat(f.layout().path("jails/app")).doesNotExist();
    assertThat(f.layout().path(HostLayout.releaseName(REL))).doesNotExist();
    assertThat(cache.resolve("earlier.bundle")).hasContent("downloaded before");
    assertThat(other.resolve("keep")).hasContent("another jail's file");
  }

  @Test
  void testPlan_showsIocagesPluginDefaultsAndWhatTheyTurnOn() throws Exception {
    Fixture f = fixture(false, new ArrayList<>());
    PluginInstaller.Request dhcp =
        new PluginInstaller.Request(
            "acme/app",
            Optional.empty(),
            List.of("dhcp=1"),
            false,
            PkgRepos.FreeBsdRepo.DISABLE,
            PluginAllowances.NONE);
    List<String> described = f.installer().plan(dhcp, f.sources()).plan().describe();
    assertThat(described)
        .contains(
            "create: turn on bpf=1 (dhcp=1 needs it: the DHCP client sends and receives raw"
                + " frames through /dev/bpf)")
        .anyMatch(
            l ->
                l.startsWith("create: write " + f.layout().path("jails/app/config.json"))
                    && l.contains("{boot=1, bpf=1, dhcp=1, vnet=1}"));
    // the user's contrary vnet=0 is refused in the plan, not overridden
    PluginInstaller.Request contrary =
        new PluginInstaller.Request(
            "acme/app",
            Optional.empty(),
            List.of("dhcp=1", "vnet=0"),
            false,
            PkgRepos.FreeBsdRepo.DISABLE,
            PluginAllowances.NONE);
    assertThatThrownBy(() -> f.installer().plan(contrary, f.sources()))
        .isInstanceOf(PluginInstallException.class)
        .hasMessageContaining("dhcp=1 needs vnet=1")
        .hasMessageContaining("but vnet=0 is given");
    assertThat(f.host().events).isEmpty();
  }

  @Test
  void testPlan_aJailThatCannotBeReadIsReportedNotNamedOver() throws Exception {
    Fixture f = fixture(false, new ArrayList<>());
    Path dir = Files.createDirectories(f.layout().path("jails/app"));
    Files.writeString(dir.resolve("config.json"), "{not json");

    assertThatThrownBy(() -> f.installer().plan(request(), f.sources()))
        .isInstanceOf(PluginInstallException.class)
        .hasMessageContaining("plugin install failed at step 'create'")
        .hasMessageContaining("config.json");
    assertThat(f.host().events).isEmpty();
  }
}
