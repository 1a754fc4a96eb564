package org.warder.client.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandResult;
import org.warder.client.exec.ProcessCommandRunner;
import org.warder.client.jail.props.JailName;
import org.warder.client.progress.Reporter;
import org.warder.client.testing.BusyboxRoot;
import org.warder.signing.testing.ExternalTools;

/**
 * Root inside the Linux sandbox is a jail's root, not the host's. A static C probe ({@code
 * sandbox-probe/probe.c}, built with gcc at test time) runs as root in a busybox jail, both from
 * the jail's start command and through {@code exec} (the way pkg and post_install.sh run), and
 * tries to act on the host: open a 0600 host file by its handle, mount, ptrace and kill a host
 * process, read its environment, make or open device nodes, load a module, reboot, set the clock.
 * Every attempt must fail with the errno that proves why; what a jail's root needs (chown, a
 * service on port 80 that drops to its user) must still work.
 */
class SandboxEscapeTest {
  /** CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID, NET_BIND_SERVICE, SYS_CHROOT. */
  private static final long JAIL_ROOT_CAPS = 0x404fbL;

  private static final long NET_RAW = 1L << 13;

  @TempDir Path tmp;
  ProcessCommandRunner runner = new ProcessCommandRunner(Reporter.silent(), false);
  BubblewrapRuntime runtime;
  RuntimeSpec spec;
  Path root;
  Path probe;
  Process victim;
  String token = UUID.randomUUID().toString();

  @BeforeEach
  void setUp() throws Exception {
    BusyboxRoot.requireSandbox();
    probe = buildProbe();
    root = BusyboxRoot.create(tmp.resolve("root"));
    Files.copy(probe, root.resolve("bin/probe"));
    for (String applet : List.of("httpd", "chown")) {
      Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
    }
    runtime = new BubblewrapRuntime(runner, new ProcessTable(), tmp);
    spec = spec(Map.of());
    ProcessBuilder sleeper = new ProcessBuilder("sleep", "600");
    sleeper.environment().put("WARDER_TEST_SECRET", token);
    victim = sleeper.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (runtime != null) {
      runtime.stop(spec);
    }
    if (victim != null) {
      victim.destroyForcibly();
    }
  }

  private RuntimeSpec spec(Map<String, String> jailParameters) throws Exception {
    return new RuntimeSpec(
        JailName.of("esc" + ProcessHandle.current().pid()),
        root,
        tmp,
        "esc.example",
        false,
        List.of(),
        "/bin/sh /etc/rc",
        "/bin/sh /etc/rc.shutdown",
        jailParameters,
        List.of(),
        org.warder.client.net.JailNetwork.none(JailName.of("esc" + ProcessHandle.current().pid())),
        "off");
  }

  /** gcc -static of the probe; skips (fails under CI) without gcc or libc6-dev's static libc. */
  private Path buildProbe() throws Exception {
    ExternalTools.require("gcc", "gcc");
    String libc = runner.check(Command.of("gcc", "-print-file-name=libc.a")).stdout().strip();
    if (!libc.startsWith("/")) {
      ExternalTools.unavailable(
          "gcc finds no static libc.a to build the sandbox probe (Debian package libc6-dev)");
    }
    Path source = tmp.resolve("probe.c");
    try (InputStream in = SandboxEscapeTest.class.getResourceAsStream("/sandbox-probe/probe.c")) {
      Files.copy(in, source);
    }
    Path binary = tmp.resolve("probe");
    runner.check(
        Command.of(
            "gcc",
            "-static",
            "-O1",
            "-Wall",
            "-Werror",
            "-o",
            binary.toString(),
            source.toString()));
    return binary;
  }

  @Test
  void testProbe_noAttackReachesTheHost() throws Exception {
    Path secret = tmp.resolve("host-secret");
    Files.writeString(secret, token + "\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    List<String> handle =
        List.of(
            runner
                .check(Command.of(probe.toString(), "handle", secret.toString()))
                .stdout()
                .strip()
                .split(" "));
    // the control: with the host's capabilities the handle opens the secret, so a refusal inside is
    // the sandbox's doing
    assertThat(
            runner
                .check(Command.of(probe.toString(), "read-handle", handle.get(0), handle.get(1)))
                .stdout())
        .contains("open_by_handle_at: ALLOWED read [" + token);
    Path zero = plantDeviceNodes();
    // the control: a planted node works on the host, so a refusal inside is the nodev mount's doing
    try (InputStream in = Files.newInputStream(zero)) {
      assertThat(in.readNBytes(16)).containsOnly(0);
    }
    String attack = "/bin/probe attack " + handle.get(0) + " " + handle.get(1) + " " + victim.pid();
    Files.writeString(
        root.resolve("etc/rc"),
        "#!/bin/sh\n"
            + attack
            + " > /var/log/probe.log 2>&1\n"
            + "grep -E 'CapEff|NoNewPrivs' /proc/self/status >> /var/log/probe.log\necho done > /var/log/rc.log\n");
    String hostname = Files.readString(Path.of("/proc/sys/kernel/hostname"));

    runtime.start(spec);
    CommandResult exec =
        runtime.exec(
            spec.name(),
            List.of("/bin/sh", "-c", attack + "; grep -E 'CapEff|NoNewPrivs' /proc/self/status"),
            Map.of());
    String fromStart =
        awaitFile(root.resolve("var/log/rc.log")).equals("done\n")
            ? Files.readString(root.resolve("var/log/probe.log"))
            : "";

    for (String output : List.of(exec.stdout(), fromStart)) {
      assertAllRefused(output);
      assertThat(output)
          .doesNotContain(token)
          .contains(String.format("CapEff:\t%016x", JAIL_ROOT_CAPS))
          .contains("NoNewPrivs:\t1");
      for (String name : System.getenv().keySet()) {
        if (!Set.of("PATH", "HOME", "PWD", "SHLVL", "_").contains(name)) {
          assertThat(output)
              .as("warder's environment leaks into the jail")
              .doesNotContain(" " + name + "=")
              .doesNotContain("[" + name + "=");
        }
      }
    }
    assertThat(victim.isAlive()).isTrue();
    assertThat(secret).hasContent(token);
    assertThat(Files.readString(Path.of("/proc/sys/kernel/hostname"))).isEqualTo(hostname);
  }

  private void assertAllRefused(String output) {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("open_by_handle_at", "EPERM");
    expected.put("mount tmpfs", "EPERM");
    expected.put("bind mount", "EPERM");
    expected.put("ptrace host process", "ESRCH|EPERM");
    expected.put("kill host process", "ESRCH|EPERM");
    expected.put("environ of host process", "ENOENT|EACCES");
    expected.put("root of host process", "ENOENT|EACCES");
    expected.put("mknod block device", "EPERM");
    expected.put("mknod char device", "EPERM");
    expected.put("planted block device", "EACCES");
    expected.put("planted /dev/mem", "EACCES");
    expected.put("planted /dev/zero", "EACCES");
    expected.put("/dev/mem", "ENOENT");
    expected.put("/dev/kmem", "ENOENT");
    expected.put("/dev/port", "ENOENT");
    // ENOSYS: a kernel built without module support
    expected.put("init_module", "EPERM|ENOSYS");
    expected.put("finit_module", "EPERM|ENOSYS");
    expected.put("reboot", "EPERM");
    expected.put("sethostname", "EPERM");
    expected.put("clock_settime", "EPERM");
    expected.put("raw socket", "EPERM");
    expected.put("unshare mount namespace", "EPERM");
    expected.forEach(
        (attack, errno) ->
            assertThat(output)
                .as(output)
                .containsPattern("(?m)^\\Q" + attack + "\\E: refused (" + errno + ")$"));
    // only environ files of the jail's own processes may be read, and those hold no host
    // environment
    assertThat(output.lines().filter(l -> l.contains("ALLOWED")))
        .as(output)
        .allMatch(l -> l.startsWith("environ of jail pid "));
  }

  /**
   * Nodes of a host disk, of /dev/mem and of /dev/zero in the jail root, as a hostile bundle could
   * leave them; returns the /dev/zero one.
   */
  private Path plantDeviceNodes() throws Exception {
    String disk;
    try (Stream<Path> blocks = Files.list(Path.of("/sys/block"))) {
      disk =
          blocks
              .filter(
                  b ->
                      !b.getFileName().toString().startsWith("loop")
                          && !b.getFileName().toString().startsWith("ram"))
              .filter(b -> readOrEmpty(b.resolve("size")).matches("[1-9][0-9]*"))
              .map(b -> readOrEmpty(b.resolve("dev")))
              .findFirst()
              .orElseThrow();
    }
    String[] majorMinor = disk.split(":");
    runner.check(
        Command.of(
            "mknod", root.resolve("planted-disk").toString(), "b", majorMinor[0], majorMinor[1]));
    runner.check(Command.of("mknod", root.resolve("planted-mem").toString(), "c", "1", "1"));
    runner.check(Command.of("mknod", root.resolve("planted-zero").toString(), "c", "1", "5"));
    return root.resolve("planted-zero");
  }

  private static String readOrEmpty(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static String awaitFile(Path file) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!Files.exists(file) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    return Files.readString(file);
  }

  @Test
  void testJailRoot_chownsBindsPort80AndDropsToAUser() throws Exception {
    Files.createDirectories(root.resolve("www"));
    Files.writeString(root.resolve("www/index.html"), "served from the jail\n");
    runtime.start(spec);

    assertThat(
            runtime
                .exec(
                    spec.name(),
                    List.of(
                        "/bin/sh",
                        "-c",
                        "touch /www/owned && chown 80:80 /www/owned && touch /www/rooted"),
                    Map.of())
                .ok())
        .isTrue();
    assertThat(Files.getAttribute(root.resolve("www/owned"), "unix:uid")).isEqualTo(80);
    assertThat(Files.getAttribute(root.resolve("www/owned"), "unix:gid")).isEqualTo(80);
    assertThat(Files.getAttribute(root.resolve("www/rooted"), "unix:uid")).isEqualTo(0);

    CommandResult httpd =
        runtime.exec(
            spec.name(), List.of("httpd", "-p", "80", "-h", "/www", "-u", "80:80"), Map.of());
    assertThat(httpd.ok()).as(httpd.stderr()).isTrue();
    CommandResult get =
        runtime.exec(
            spec.name(),
            List.of("wget", "-q", "-O", "-", "http://127.0.0.1:80/index.html"),
            Map.of());
    assertThat(get.stdout()).as(get.stderr()).isEqualTo("served from the jail\n");
    CommandResult ps = runtime.exec(spec.name(), List.of("ps", "-o", "user,args"), Map.of());
    assertThat(ps.stdout().lines().filter(l -> l.contains("httpd -p 80")))
        .singleElement()
        .asString()
        .startsWith("80 ");
    CommandResult caps =
        runtime.exec(spec.name(), List.of("grep", "CapEff", "/proc/self/status"), Map.of());
    assertThat(caps.stdout()).isEqualTo(String.format("CapEff:\t%016x%n", JAIL_ROOT_CAPS));
  }

  @Test
  void testRawSockets_onlyWithAllowRawSockets() throws Exception {
    spec = spec(Map.of("allow.raw_sockets", "true"));
    runtime.start(spec);
    assertThat(runtime.exec(spec.name(), List.of("/bin/probe", "raw-socket"), Map.of()).stdout())
        .isEqualTo("raw socket: ALLOWED\n");
    assertThat(
            runtime
                .exec(spec.name(), List.of("grep", "CapEff", "/proc/self/status"), Map.of())
                .stdout())
        .isEqualTo(String.format("CapEff:\t%016x%n", JAIL_ROOT_CAPS | NET_RAW));
    runtime.stop(spec);

    spec = spec(Map.of());
    runtime.start(spec);
    assertThat(runtime.exec(spec.name(), List.of("/bin/probe", "raw-socket"), Map.of()).stdout())
        .isEqualTo("raw socket: refused EPERM\n");
  }

  @Test
  void testExec_refusedInASandboxWithoutTheCapabilityLimits() throws Exception {
    // what warder started before the limits: the marker, and all of root's capabilities
    runner.check(
        Command.of(
                "setsid",
                "-f",
                "env",
                "-i",
                "bwrap",
                "--bind",
                root.toString(),
                "/",
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "--unshare-pid",
                "--setenv",
                BubblewrapRuntime.MARKER,
                tmp + "#" + spec.name().value(),
                "/bin/sh",
                "-c",
                "while :; do sleep 86400; done")
            .withOutputLog(tmp.resolve("old.log")));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (runtime.jid(spec.name()).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Files.writeString(
        root.resolve("etc/rc.shutdown"), "#!/bin/sh\ntouch /stopped-with-root-caps\n");

    assertThatThrownBy(
            () -> runtime.exec(spec.name(), List.of("/bin/probe", "raw-socket"), Map.of()))
        .hasMessageContaining("without warder's capability limits")
        .hasMessageContaining("'warder stop " + spec.name() + "'");
    runtime.stop(spec);
    assertThat(runtime.jid(spec.name())).isEmpty();
    assertThat(root.resolve("stopped-with-root-caps")).doesNotExist();
  }

  @Test
  void testMarker_forgedInsideAJailIsNotASandbox() throws Exception {
    runtime.start(spec);
    RuntimeSpec other =
        new RuntimeSpec(
            JailName.of("forged" + ProcessHandle.current().pid()),
            root,
            tmp,
            "forged",
            false,
            List.of(),
            spec.execStart(),
            spec.execStop(),
            Map.of(),
            List.of(),
            org.warder.client.net.JailNetwork.none(
                JailName.of("forged" + ProcessHandle.current().pid())),
            "off");
    Path hostFile = tmp.resolve("host-file");
    // a process named bwrap with the other jail's marker and a layout that binds the host's root
    // with every capability
    String forge =
        "cp /bin/probe /tmp/bwrap && /tmp/bwrap --bind / / --cap-drop ALL --cap-add ALL --setenv "
            + BubblewrapRuntime.MARKER
            + " '"
            + tmp
            + "#"
            + other.name().value()
            + "' /bin/sh >/dev/null 2>&1 &";
    assertThat(runtime.exec(spec.name(), List.of("/bin/sh", "-c", forge), Map.of()).ok()).isTrue();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (ProcessHandle.allProcesses()
            .noneMatch(p -> p.info().command().orElse("").endsWith("/tmp/bwrap"))
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(
            ProcessHandle.allProcesses()
                .filter(p -> p.info().command().orElse("").endsWith("/tmp/bwrap")))
        .isNotEmpty();

    assertThat(runtime.jid(other.name())).isEmpty();
    assertThatThrownBy(
            () -> runtime.exec(other.name(), List.of("/bin/touch", hostFile.toString()), Map.of()))
        .hasMessageContaining("is not running");
    assertThat(hostFile).doesNotExist();
  }

  @Test
  void testStartArgv_confinementBeforeTheCommand() throws Exception {
    List<String> argv = runtime.startArgv(spec);
    assertThat(argv.subList(0, 5)).containsExactly("setsid", "-f", "env", "-i", "bwrap");
    List<String> layout = Confinement.layoutOf(argv.subList(4, argv.size())).orElseThrow();
    assertThat(layout)
        .startsWith("--bind", root.toString(), "/")
        .containsSubsequence("--cap-drop", "ALL")
        .doesNotContain(
            "CAP_DAC_READ_SEARCH", "CAP_SYS_ADMIN", "CAP_NET_RAW", "--unshare-pid", "--setenv");
  }
}
