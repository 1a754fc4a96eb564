package org.warder.client.jail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.ClientException;
import org.warder.client.exec.ProcessCommandRunner;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.PropertyException;
import org.warder.client.layout.HostLayout;
import org.warder.client.plan.Plan;
import org.warder.client.plan.StepFailedException;
import org.warder.client.runtime.RuntimeSpec;
import org.warder.client.storage.DirStorage;
import org.warder.client.testing.Facility;
import org.warder.client.testing.InMemoryJailRuntime;
import org.warder.client.testing.RecordingReporter;

/**
 * The jail classes without root's runtime and without the command line: directory storage on a
 * temporary directory, the in-memory runtime, a fixed clock.
 */
class JailsTest {
  static final String REL = "13.4-RELEASE";
  static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  @TempDir Path root;
  final InMemoryJailRuntime runtime = new InMemoryJailRuntime();
  final RecordingReporter reporter = new RecordingReporter();
  Jails jails;

  @BeforeEach
  void setUp() throws IOException {
    HostLayout layout = new HostLayout(root);
    DirStorage storage =
        new DirStorage(
            root,
            new ProcessCommandRunner(org.warder.client.progress.Reporter.silent(), false),
            false);
    jails = new Jails(layout, storage, runtime, Clock.fixed(NOW, ZoneOffset.UTC), reporter);
    Path release = layout.path(HostLayout.releaseName(REL)).resolve("root");
    Files.createDirectories(release.resolve("etc"));
    Files.createDirectories(release.resolve("bin"));
    Files.writeString(release.resolve("bin/sh"), "#!shell\n");
  }

  private Jail create(String name, String... props) throws Exception {
    return jails
        .creator()
        .create(
            new CreateRequest(
                JailName.of(name),
                JailSource.Release.of(REL),
                CreateRequest.Mode.THIN,
                List.of(props)));
  }

  private List<String> tree() throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void create_thenDestroy_leavesTheHostAsBefore() throws Exception {
    List<String> before = tree();
    Jail www = create("www", "boot=1");

    assertThat(root.resolve("jails/www/root/bin/sh")).hasContent("#!shell");
    assertThat(root.resolve("jails/www/config.json")).content().contains("\"boot\" : 1");
    assertThat(www.release()).isEqualTo(REL);
    assertThat(www.props().identity("created")).contains(NOW.toString());
    assertThat(reporter.lines())
        .contains("www created: a copy of release " + REL + " (directory storage has no clones)");

    jails.destroyer().destroy("www", false);
    assertThat(reporter.lines()).contains("www destroyed");
    assertThat(tree()).isEqualTo(withJailsDir(before));
  }

  /** Creating a jail leaves {@code jails/} behind, empty, as the CLI always has. */
  private static List<String> withJailsDir(List<String> before) {
    List<String> after = new ArrayList<>(before);
    after.add("jails");
    return after.stream().sorted().toList();
  }

  @Test
  void create_ofATakenName_isRefusedAsAConflict() throws Exception {
    create("www");
    assertThatThrownBy(() -> create("www"))
        .isInstanceOf(JailException.class)
        .hasMessageContaining("already exists")
        .extracting(e -> ((ClientException) e).reason())
        .isEqualTo(ClientException.Reason.CONFLICT);
  }

  @Test
  void create_fromAReleaseNotFetched_namesTheFetch() {
    assertThatThrownBy(
            () ->
                jails
                    .creator()
                    .create(
                        new CreateRequest(
                            JailName.of("www"),
                            JailSource.Release.of("14.2-RELEASE"),
                            CreateRequest.Mode.THICK,
                            List.of())))
        .hasMessageContaining("warder fetch -r 14.2-RELEASE");
    assertThat(root.resolve("jails/www")).doesNotExist();
  }

  @Test
  void createPlan_listsTheStepsAndChangesNothing() throws Exception {
    List<String> before = tree();
    Plan plan =
        jails
            .creator()
            .plan(
                new CreateRequest(
                    JailName.of("www"),
                    JailSource.Release.of(REL),
                    CreateRequest.Mode.BASE,
                    List.of("mount_linprocfs=1")))
            .plan();

    assertThat(plan.steps())
        .extracting(s -> s.name())
        .containsExactly("directory", "root", "host files", "config", "fstab");
    assertThat(plan.describe())
        .contains("directory: create jails/www (readable by root only)")
        .contains(
            "root: copy releases/" + REL + "/root to jails/www/root, clearing immutable flags")
        .anyMatch(l -> l.startsWith("config: write " + root.resolve("jails/www/config.json")))
        .anyMatch(l -> l.startsWith("fstab:   ") && l.contains("linprocfs"))
        .anyMatch(l -> l.startsWith("fstab:   " + root.resolve("releases/" + REL + "/root/bin")));
    assertThat(tree()).isEqualTo(before);
  }

  @Test
  void create_failingMidway_undoesTheStepsItCompleted() throws Exception {
    if (!Files.isRegularFile(Path.of("/etc/resolv.conf"))) {
      // the step that fails here copies the host's resolv.conf in; without one it has nothing to do
      Facility.missing("HOST FILE", "this test needs the host's /etc/resolv.conf");
    }
    // the jail's etc/resolv.conf a directory: the host files step cannot copy over it
    Path release = root.resolve("releases/" + REL + "/root");
    Files.createDirectories(release.resolve("etc/resolv.conf"));
    Files.writeString(release.resolve("etc/resolv.conf/keep"), "x");

    assertThatThrownBy(() -> create("www"))
        .isInstanceOf(StepFailedException.class)
        .satisfies(e -> assertThat(((StepFailedException) e).step()).isEqualTo("host files"));
    assertThat(root.resolve("jails/www")).doesNotExist();
  }

  @Test
  void destroyPlan_listsTheStepsAndChangesNothing() throws Exception {
    create("www");
    jails.lifecycle().start("www");
    assertThatThrownBy(() -> jails.destroyer().plan("www", false))
        .hasMessageContaining("www is running; stop it first, or destroy it with -f");

    List<String> before = tree();
    Plan plan = jails.destroyer().plan("www", true);

    assertThat(plan.describe())
        .containsExactly(
            "stop: stop www (its exec_stop, then the jail goes)",
            "storage: destroy jails/www (its root, config.json, fstab and all it holds)",
            "snapshot: remove snapshot releases/" + REL + "/root@www if there is one");
    assertThat(tree()).isEqualTo(before);
    assertThat(runtime.running()).containsExactly("www");
  }

  @Test
  void destroy_refusesWhileOthersDependOnIt() throws Exception {
    create("db");
    create("www", "depends=db");
    assertThatThrownBy(() -> jails.destroyer().destroy("db", true))
        .hasMessageContaining("www (depends) still need it");
    assertThat(root.resolve("jails/db/config.json")).exists();
  }

  @Test
  void start_startsDependenciesFirst_andRefusesARunningJail() throws Exception {
    create("db");
    create("cache", "depends=db");
    create("www", "depends=cache,db");

    jails.lifecycle().start("www");

    assertThat(runtime.events()).containsExactly("start db", "start cache", "start www");
    assertThat(reporter.lines()).contains("db started (jid 1)", "www started (jid 3)");
    assertThatThrownBy(() -> jails.lifecycle().start("www"))
        .hasMessageContaining("www is already running");
  }

  @Test
  void start_refusesACycle() throws Exception {
    create("a");
    create("b", "depends=a");
    jails.properties().set("a", List.of("depends=b"));

    assertThatThrownBy(() -> jails.lifecycle().start("a"))
        .hasMessageContaining("cycle: a -> b -> a");
    assertThat(runtime.events()).isEmpty();
  }

  @Test
  void bootOrder_isPriorityThenDependencies_andSkipsBootZero() throws Exception {
    create("web", "boot=1", "priority=20");
    create("db", "boot=0");
    create("api", "boot=1", "priority=10", "depends=db");
    create("mail", "boot=1", "priority=10");
    create("idle", "boot=0", "priority=1");

    assertThat(jails.lifecycle().bootOrder())
        .extracting(j -> j.name().value())
        .containsExactly("db", "api", "mail", "web");
  }

  @Test
  void startAtBoot_andStopAtBoot_runInBootOrderAndReverse() throws Exception {
    create("web", "boot=1", "priority=20");
    create("db", "boot=0");
    create("api", "boot=1", "priority=10", "depends=db");
    create("idle", "boot=0");
    jails.lifecycle().start("web"); // already running: skipped by --rc
    jails.lifecycle().start("idle"); // not boot=1: left alone by both

    jails.lifecycle().startPlan(List.of(), true).run(reporter, false, List::of);
    jails.lifecycle().stopPlan(List.of(), true).run(reporter, false, List::of);

    assertThat(runtime.events())
        .containsExactly(
            "start web", "start idle", "start db", "start api", "stop web", "stop api", "stop db");
    assertThat(runtime.running()).containsExactly("idle");
  }

  @Test
  void restart_stopsThenStarts() throws Exception {
    create("www");
    jails.lifecycle().start("www");
    jails.lifecycle().restartPlan("www").run(reporter, false, List::of);
    assertThat(runtime.events()).containsExactly("start www", "stop www", "start www");
  }

  @Test
  void exec_runsInTheRunningJailOnly() throws Exception {
    create("www");
    assertThatThrownBy(() -> jails.lifecycle().exec("www", List.of("id"), Map.of()))
        .hasMessageContaining("www is not running; start it with 'warder start www'");
    jails.lifecycle().start("www");
    assertThat(jails.lifecycle().exec("www", List.of("id", "-u"), Map.of()).exitCode()).isZero();
    assertThat(runtime.events()).endsWith("exec www id -u");
  }

  @Test
  void set_withAnInvalidValue_isRefusedAndWritesNothing() throws Exception {
    create("www", "boot=1");
    Path config = root.resolve("jails/www/config.json");
    byte[] before = Files.readAllBytes(config);

    assertThatThrownBy(() -> jails.properties().set("www", List.of("priority=5", "boot=maybe")))
        .isInstanceOf(PropertyException.class)
        .hasMessageContaining("property boot: expected 0 or 1");
    assertThatThrownBy(() -> jails.properties().set("www", List.of("nosuchkey=1")))
        .isInstanceOf(PropertyException.class);
    assertThatThrownBy(() -> jails.properties().set("www", List.of("template=perhaps")))
        .hasMessageContaining("expected template=yes or template=no, found \"perhaps\"");
    assertThatThrownBy(() -> jails.properties().set("www", List.of("boot")))
        .hasMessageContaining("expected key=value, found \"boot\"");

    assertThat(Files.readAllBytes(config)).isEqualTo(before);
  }

  @Test
  void set_template_convertsAndBack() throws Exception {
    create("base");
    jails.properties().set("base", List.of("template=YES"));
    assertThat(root.resolve("templates/base/config.json")).exists();
    assertThat(root.resolve("jails/base")).doesNotExist();
    assertThat(reporter.lines()).contains("base is now a template");

    jails.properties().set("base", List.of("template=off"));
    assertThat(root.resolve("jails/base/config.json")).exists();
  }

  @Test
  void createFromTemplate_recordsIt_andDestroyOfTheTemplateIsRefused() throws Exception {
    create("base");
    jails.properties().set("base", List.of("template=yes"));
    jails
        .creator()
        .create(
            new CreateRequest(
                JailName.of("www"),
                new JailSource.Template(JailName.of("base")),
                CreateRequest.Mode.THICK,
                List.of()));

    Jail www = jails.properties().get("www");
    assertThat(www.props().identity("source_template")).contains("base");
    assertThat(www.release()).isEqualTo(REL);
    assertThatThrownBy(() -> jails.destroyer().destroy("base", false))
        .hasMessageContaining("www (created from it)");
  }

  @Test
  void createRequest_refusesASourceThatDoesNotFitTheMode() throws Exception {
    JailName name = JailName.of("www");
    assertThatThrownBy(
            () ->
                new CreateRequest(
                    name,
                    new JailSource.TemplateTag(JailName.of("base"), "t1"),
                    CreateRequest.Mode.THICK,
                    List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new CreateRequest(name, new JailSource.Empty(), CreateRequest.Mode.THIN, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new CreateRequest(
                    name, JailSource.Release.of(REL), CreateRequest.Mode.EMPTY, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void start_ofAVnetJail_storesItsGeneratedMacsOnce() throws Exception {
    create("web", "vnet=1", "ip4_addr=vnet0|192.0.2.10/24");
    jails.lifecycle().start("web");
    assertThat(root.resolve("jails/web/config.json"))
        .content()
        .contains("\"vnet0_mac\" : \"02ff604e07f1 02ff604e07f2\"");
    assertThat(runtime.started().get(0).network().interfaces().get(0).ipv4())
        .containsExactly("192.0.2.10/24");
    assertThat(runtime.addresses(JailName.of("web"))).containsExactly("192.0.2.10");
    jails.lifecycle().stop("web");
    jails.properties().set("web", List.of("mac_prefix=02aaaa"));
    jails.lifecycle().start("web");
    // the stored pair stays: the jail keeps its MACs (and DHCP reservations) across restarts
    assertThat(runtime.started().get(1).network().interfaces().get(0).macs().stored())
        .isEqualTo("02ff604e07f1 02ff604e07f2");
  }

  @Test
  void natJails_getFreePairs_andTheHostRulesFollowWhatRuns() throws Exception {
    create("a", "vnet=1", "nat=1", "nat_forwards=tcp(80:8282)");
    create("b", "vnet=1", "nat=1", "nat_forwards=tcp(80:8283)");
    jails.lifecycle().start("a");
    jails.lifecycle().start("b");
    assertThat(jails.store().get("a").props().value("ip4_addr")).isEqualTo("vnet0|172.16.0.2/30");
    assertThat(jails.store().get("b").props().value("ip4_addr")).isEqualTo("vnet0|172.16.0.6/30");
    assertThat(jails.store().get("b").props().value("defaultrouter")).isEqualTo("172.16.0.5");
    jails.lifecycle().stop("a");
    jails.lifecycle().stop("b");
    assertThat(runtime.events())
        .containsExactly(
            "start a", "nat a", "start b", "nat a,b", "stop a", "nat b", "stop b", "nat ");
  }

  @Test
  void natJail_whoseForwardAnotherRunningJailHolds_isRefusedAndNotStarted() throws Exception {
    create("a", "vnet=1", "nat=1", "nat_forwards=tcp(80:8282)");
    create("b", "vnet=1", "nat=1", "nat_forwards=tcp(443:8282)");
    jails.lifecycle().start("a");
    assertThatThrownBy(() -> jails.lifecycle().start("b"))
        .isInstanceOf(JailException.class)
        .hasMessageContaining("wants host tcp port 8282, which running jail a forwards already")
        .extracting(e -> ((ClientException) e).reason())
        .isEqualTo(ClientException.Reason.CONFLICT);
    assertThat(runtime.running()).containsExactly("a");
  }

  @Test
  void start_ofADhcpJail_getsItsDevfsRulesetRcConfAndResolverBeforeTheRuntimeStarts()
      throws Exception {
    Jail www =
        create("www", "vnet=1", "dhcp=1", "bpf=1", "resolver=nameserver 192.0.2.53", "host_time=0");
    Path etc = root.resolve("jails/www/root/etc");
    // the devfs ruleset and the start files come before the runtime, whichever it is
    RuntimeSpec planned = jails.lifecycle().spec(www);
    assertThat(jails.lifecycle().describeStart(www, planned))
        .startsWith(
            "www: devfs ruleset 1000 of its own, derived from ruleset 4 (bpf* for dhcp=1)",
            "write " + etc.resolve("resolv.conf") + ": nameserver 192.0.2.53",
            "set ifconfig_vnet0=\"SYNCDHCP\" in " + etc.resolve("rc.conf"));
    assertThat(etc.resolve("rc.conf")).doesNotExist();

    jails.lifecycle().start("www");

    RuntimeSpec spec = runtime.started().get(0);
    assertThat(spec.jailParameters()).containsEntry("devfs_ruleset", "1000");
    assertThat(spec.devfsRules())
        .startsWith(
            List.of("devfs", "rule", "-s", "1000", "delset"),
            List.of("devfs", "rule", "-s", "1000", "add", "hide"))
        .endsWith(List.of("devfs", "rule", "-s", "1000", "add", "path", "bpf*", "unhide"));
    assertThat(etc.resolve("rc.conf")).hasContent("ifconfig_vnet0=\"SYNCDHCP\"\n");
    assertThat(etc.resolve("resolv.conf")).hasContent("nameserver 192.0.2.53\n");
    assertThat(jails.store().get("www").props().value("devfs_ruleset")).isEqualTo("1000");
    assertThat(reporter.lines())
        .contains("www: devfs ruleset 1000 of its own, derived from ruleset 4 (bpf* for dhcp=1)");

    jails.lifecycle().stop("www");
    jails.properties().set("www", List.of("dhcp=0", "bpf=0", "ip4_addr=vnet0|192.0.2.10/24"));
    jails.lifecycle().start("www");
    assertThat(runtime.started().get(1).devfsRules()).isEmpty();
    assertThat(runtime.started().get(1).jailParameters()).containsEntry("devfs_ruleset", "4");
    assertThat(etc.resolve("rc.conf")).hasContent("");
  }

  @Test
  void createAndSet_turnOnWhatDhcpAndBpfNeed_sayIt_andRefuseAContraryValue() throws Exception {
    create("d", "dhcp=1");
    assertThat(jails.store().get("d").props().explicit())
        .containsEntry("vnet", "1")
        .containsEntry("bpf", "1");
    assertThat(reporter.lines())
        .contains(
            "d: turned on vnet=1 (dhcp=1 needs it: a DHCP client needs the jail's own network"
                + " stack)");
    create("s");
    jails.properties().set("s", List.of("bpf=1"));
    assertThat(jails.store().get("s").props().isTrue("vnet")).isTrue();
    assertThat(reporter.lines()).anyMatch(l -> l.startsWith("s: turned on vnet=1 (bpf=1 needs it"));

    String before = Files.readString(root.resolve("jails/d/config.json"));
    assertThatThrownBy(() -> jails.properties().set("d", List.of("vnet=0")))
        .isInstanceOf(PropertyException.class)
        .hasMessageStartingWith("dhcp=1 needs vnet=1");
    assertThat(root.resolve("jails/d/config.json")).hasContent(before);
    assertThatThrownBy(() -> create("x", "dhcp=1", "vnet=0"))
        .isInstanceOf(PropertyException.class)
        .hasMessageContaining("but vnet=0 is given");
    assertThat(root.resolve("jails/x")).doesNotExist();
  }
}
