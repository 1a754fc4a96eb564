package org.warder.client.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.exec.CommandResult;
import org.warder.client.exec.ProcessCommandRunner;
import org.warder.client.jail.props.JailName;
import org.warder.client.progress.Reporter;
import org.warder.client.testing.BusyboxRoot;

/** The Linux sandbox runtime for real: bubblewrap namespaces over a busybox root. */
class BubblewrapRuntimeTest {
  @TempDir Path tmp;
  BubblewrapRuntime runtime;
  RuntimeSpec spec;

  @BeforeEach
  void setUp() throws Exception {
    BusyboxRoot.requireSandbox();
    Path root = BusyboxRoot.create(tmp.resolve("root"));
    Path shared = Files.createDirectories(tmp.resolve("release-bin"));
    Files.writeString(shared.resolve("from-release"), "shared\n");
    Files.createDirectories(root.resolve("opt"));
    runtime =
        new BubblewrapRuntime(
            new ProcessCommandRunner(Reporter.silent(), false), new ProcessTable(), tmp);
    spec =
        new RuntimeSpec(
            JailName.of("bw" + ProcessHandle.current().pid()),
            root,
            tmp,
            "www1.example",
            false,
            List.of(new Mount(shared, root.resolve("opt"), true)),
            "/bin/sh /etc/rc",
            "/bin/sh /etc/rc.shutdown",
            Map.of(),
            List.of(),
            org.warder.client.net.JailNetwork.none(
                JailName.of("bw" + ProcessHandle.current().pid())),
            "off");
  }

  @Test
  void start_withACpuset_isRefusedBeforeAnythingRuns() {
    RuntimeSpec pinned =
        new RuntimeSpec(
            spec.name(),
            spec.root(),
            spec.jailDir(),
            spec.hostname(),
            false,
            spec.mounts(),
            spec.execStart(),
            spec.execStop(),
            Map.of(),
            List.of(),
            spec.network(),
            "0-1");
    assertThatThrownBy(() -> runtime.start(pinned))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("cpuset=0-1 is a CPU limit only FreeBSD's cpuset -j keeps")
        .hasMessageContaining("warder set cpuset=off " + spec.name());
    assertThat(Files.exists(spec.consoleLog())).isFalse();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (runtime != null) {
      runtime.stop(spec);
    }
  }

  @Test
  void testStart_isolatedRunningAndStopped() throws Exception {
    runtime.start(spec);
    OptionalLong jid = runtime.jid(spec.name());
    assertThat(jid).isPresent();
    assertThat(runtime.exec(spec.name(), List.of("hostname"), Map.of()).stdout().strip())
        .isEqualTo("www1.example");
    CommandResult ps = runtime.exec(spec.name(), List.of("ps", "-o", "pid,args"), Map.of());
    assertThat(ps.stdout()).contains("sleep 86400").doesNotContain("java");
    CommandResult net = runtime.exec(spec.name(), List.of("ip", "-o", "link"), Map.of());
    assertThat(net.stdout().lines().filter(l -> !l.isBlank()))
        .singleElement()
        .asString()
        .contains("lo");
    assertThat(runtime.exec(spec.name(), List.of("cat", "/var/log/rc.log"), Map.of()).stdout())
        .isEqualTo("up\n");
    assertThat(runtime.exec(spec.name(), List.of("cat", "/opt/from-release"), Map.of()).stdout())
        .isEqualTo("shared\n");
    assertThat(runtime.exec(spec.name(), List.of("touch", "/opt/x"), Map.of()).ok()).isFalse();
    assertThat(
            runtime
                .exec(spec.name(), List.of("sh", "-c", "echo $FOO"), Map.of("FOO", "bar"))
                .stdout())
        .isEqualTo("bar\n");

    assertThatThrownBy(() -> runtime.start(spec)).hasMessageContaining("already running");
    runtime.stop(spec);
    assertThat(runtime.jid(spec.name())).isEmpty();
    assertThat(ProcessHandle.of(jid.getAsLong())).isEmpty();
    assertThat(Files.readString(spec.root().resolve("var/log/rc.log"))).isEqualTo("up\ndown\n");
    assertThatThrownBy(() -> runtime.exec(spec.name(), List.of("true"), Map.of()))
        .hasMessageContaining("not running");
  }

  @Test
  void testStart_inheritedNetworkSeesTheHostInterfaces() throws Exception {
    RuntimeSpec shared =
        new RuntimeSpec(
            spec.name(),
            spec.root(),
            tmp,
            "net",
            true,
            List.of(),
            spec.execStart(),
            spec.execStop(),
            Map.of(),
            List.of(),
            org.warder.client.net.JailNetwork.none(spec.name()),
            "off");
    spec = shared;
    runtime.start(shared);
    long links =
        runtime
            .exec(shared.name(), List.of("ip", "-o", "link"), Map.of())
            .stdout()
            .lines()
            .filter(l -> !l.isBlank())
            .count();
    assertThat(links).isGreaterThan(1);
  }

  @Test
  void testStart_consoleLogLinkedToAHostFileIsNotFollowed() throws Exception {
    Path hostFile = Files.writeString(tmp.resolve("host-file"), "host secrets\n");
    Files.createSymbolicLink(spec.consoleLog(), hostFile);
    assertThatThrownBy(() -> runtime.start(spec))
        .hasMessageContaining(
            "expected the jail's console log to be a regular file or absent, found a symbolic link to "
                + hostFile);
    assertThat(runtime.jid(spec.name())).isEmpty();
    assertThat(hostFile).hasContent("host secrets");

    // once the link is gone, the sandbox writes a regular 0600 log of its own
    Files.delete(spec.consoleLog());
    runtime.start(spec);
    assertThat(Files.isRegularFile(spec.consoleLog(), java.nio.file.LinkOption.NOFOLLOW_LINKS))
        .isTrue();
    assertThat(Files.getPosixFilePermissions(spec.consoleLog())).isEqualTo(ConsoleLog.MODE);
    assertThat(hostFile).hasContent("host secrets");
  }
}
