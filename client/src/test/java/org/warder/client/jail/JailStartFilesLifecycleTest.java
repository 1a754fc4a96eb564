package org.warder.client.jail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.exec.ProcessCommandRunner;
import org.warder.client.jail.props.JailName;
import org.warder.client.layout.HostLayout;
import org.warder.client.progress.Reporter;
import org.warder.client.runtime.RuntimeSpec;
import org.warder.client.storage.DirStorage;
import org.warder.client.testing.InMemoryJailRuntime;
import org.warder.client.testing.RecordingReporter;

/**
 * A start through the lifecycle, whatever the runtime: the devfs ruleset a dhcp jail gets before
 * the runtime starts it, the files written into its root, and what a plan says about both first.
 */
class JailStartFilesLifecycleTest {
  static final String REL = "13.4-RELEASE";

  @TempDir Path root;
  final InMemoryJailRuntime runtime = new InMemoryJailRuntime();
  final RecordingReporter reporter = new RecordingReporter();
  Jails jails;

  @BeforeEach
  void setUp() throws Exception {
    HostLayout layout = new HostLayout(root);
    DirStorage storage =
        new DirStorage(root, new ProcessCommandRunner(Reporter.silent(), false), false);
    jails = new Jails(layout, storage, runtime, Clock.systemUTC(), reporter);
    Path release = layout.path(HostLayout.releaseName(REL)).resolve("root");
    Files.createDirectories(release.resolve("etc"));
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

  @Test
  void testStart_dhcpJailGetsItsRulesetRcConfAndResolverBeforeTheRuntimeStarts() throws Exception {
    Jail www =
        create("www", "vnet=1", "dhcp=1", "bpf=1", "resolver=nameserver 192.0.2.53", "host_time=0");
    Path etc = root.resolve("jails/www/root/etc");
    RuntimeSpec planned = jails.lifecycle().spec(www);
    assertThat(jails.lifecycle().describeBeforeStart(www, planned))
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
}
