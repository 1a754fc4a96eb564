package org.warder.client.freebsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandResult;
import org.warder.client.jail.props.JailName;
import org.warder.client.testing.RecordingCommandRunner;

/** The exact argv of every FreeBSD command builder, and what each refuses. */
class FreeBsdCommandsTest {
  private static final JailName WWW1 = new JailName("www1");
  private static final Path CONF = Path.of("/var/run/warder/jail.www1.conf");

  @Test
  void testJail_createAndRemove() {
    assertThat(FreeBsdCommands.jailCreate(CONF, WWW1))
        .containsExactly("jail", "-f", "/var/run/warder/jail.www1.conf", "-c", "www1");
    assertThat(FreeBsdCommands.jailRemove(CONF, WWW1))
        .containsExactly("jail", "-f", "/var/run/warder/jail.www1.conf", "-r", "www1");
    assertThatThrownBy(() -> FreeBsdCommands.jailCreate(Path.of("jail.conf"), WWW1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void testJexec_loginUserAndEnvironmentAsArgv() throws Exception {
    assertThat(
            FreeBsdCommands.jexec(
                WWW1,
                true,
                Optional.empty(),
                Map.of(),
                List.of("/bin/sh", "/root/post_install.sh")))
        .containsExactly("jexec", "-l", "www1", "/bin/sh", "/root/post_install.sh");
    assertThat(
            FreeBsdCommands.jexec(
                WWW1,
                true,
                Optional.of("www"),
                Map.of("WARDER_PLUGIN_IP", "203.0.113.222", "A_B", "x y; $(z)"),
                List.of("/root/post_install.sh", "--all")))
        .containsExactly(
            "jexec",
            "-l",
            "-U",
            "www",
            "www1",
            "env",
            "A_B=x y; $(z)",
            "WARDER_PLUGIN_IP=203.0.113.222",
            "/root/post_install.sh",
            "--all");
    assertThat(
            FreeBsdCommands.jexec(
                WWW1, false, Optional.empty(), Map.of(), List.of("freebsd-version")))
        .containsExactly("jexec", "www1", "freebsd-version");
  }

  @Test
  void testJexec_refusesWhatWouldReadAsOptionsOrAssignments() {
    assertThatThrownBy(
            () ->
                FreeBsdCommands.jexec(
                    WWW1, true, Optional.empty(), Map.of(), List.of("-u", "root")))
        .isInstanceOf(FreeBsdInputException.class)
        .hasMessage("program: expected a program name or path not starting with '-', found '-u'");
    assertThatThrownBy(
            () ->
                FreeBsdCommands.jexec(
                    WWW1, true, Optional.empty(), Map.of("A", "1"), List.of("X=1")))
        .hasMessage(
            "program: expected a program name or path not starting with '-' and without '=', found 'X=1'");
    assertThatThrownBy(
            () ->
                FreeBsdCommands.jexec(
                    WWW1, true, Optional.empty(), Map.of("1A", "1"), List.of("id")))
        .hasMessageStartingWith("environment variable: expected a name");
    assertThatThrownBy(
            () -> FreeBsdCommands.jexec(WWW1, true, Optional.of("-root"), Map.of(), List.of("id")))
        .hasMessageStartingWith("user: expected a user name");
    assertThatThrownBy(
            () ->
                FreeBsdCommands.jexec(
                    WWW1, true, Optional.empty(), Map.of(), List.of("echo", "a\0b")))
        .hasMessageContaining("NUL");
    assertThatThrownBy(
            () -> FreeBsdCommands.jexec(WWW1, true, Optional.empty(), Map.of(), List.of()))
        .hasMessageContaining("found nothing");
  }

  @Test
  void testJls_allParametersAsJson() {
    assertThat(FreeBsdCommands.jls()).containsExactly("jls", "--libxo", "json", "-n");
  }

  @Test
  void testPkg_inTheJail() throws Exception {
    assertThat(FreeBsdCommands.pkg(WWW1, List.of("upgrade", "-f", "-y")))
        .containsExactly("pkg", "-j", "www1", "upgrade", "-f", "-y");
    assertThat(
            FreeBsdCommands.pkgInstall(
                WWW1, List.of("nginx", "www/php82", "py39-certbot", "nextcloud-php82")))
        .containsExactly(
            "pkg",
            "-j",
            "www1",
            "install",
            "-y",
            "nginx",
            "www/php82",
            "py39-certbot",
            "nextcloud-php82");
    assertThatThrownBy(() -> FreeBsdCommands.pkgInstall(WWW1, List.of("nginx", "-f")))
        .hasMessage(
            "package: expected a"
                + " package name or origin such as nginx or www/nginx, not starting with '-', found '-f'");
    assertThatThrownBy(() -> FreeBsdCommands.pkgInstall(WWW1, List.of("../../tmp/evil.pkg")))
        .isInstanceOf(FreeBsdInputException.class);
    assertThatThrownBy(() -> FreeBsdCommands.pkgInstall(WWW1, List.of("a/../b")))
        .hasMessageContaining("looks like a path");
    assertThatThrownBy(() -> FreeBsdCommands.pkgInstall(WWW1, List.of()))
        .hasMessageContaining("at least one");
  }

  @Test
  void testKldload_moduleNamesOnly() throws Exception {
    assertThat(FreeBsdCommands.kldload("linux64")).containsExactly("kldload", "-n", "linux64");
    assertThatThrownBy(() -> FreeBsdCommands.kldload("/tmp/evil.ko"))
        .isInstanceOf(FreeBsdInputException.class)
        .hasMessage(
            "kernel module: expected a module name of letters, digits and '_' (not a path), e.g. linux64,"
                + " found '/tmp/evil.ko'");
    assertThatThrownBy(() -> FreeBsdCommands.kldload("evil.ko"))
        .isInstanceOf(FreeBsdInputException.class);
    assertThatThrownBy(() -> FreeBsdCommands.kldload("-v"))
        .isInstanceOf(FreeBsdInputException.class);
  }

  @Test
  void testDevfsAndChflags() {
    assertThat(FreeBsdCommands.devfsDeleteRuleset(1000))
        .containsExactly("devfs", "rule", "-s", "1000", "delset");
    assertThatThrownBy(() -> FreeBsdCommands.devfsDeleteRuleset(0))
        .isInstanceOf(IllegalArgumentException.class);
    Path lib = Path.of("/usr/local/warder/jails/dns3/root/lib");
    assertThat(FreeBsdCommands.chflagsNoSchg(lib))
        .containsExactly("chflags", "-R", "noschg", lib.toString());
  }

  @Test
  void testArgvRunsOnlyThroughTheCommandRunner() throws Exception {
    RecordingCommandRunner runner =
        new RecordingCommandRunner(argv -> new CommandResult(0, "", ""));
    runner.check(Command.of(FreeBsdCommands.jailCreate(CONF, WWW1)));
    runner.check(Command.of(FreeBsdCommands.pkgInstall(WWW1, List.of("nginx"))));
    assertThat(runner.commands())
        .containsExactly(
            List.of("jail", "-f", "/var/run/warder/jail.www1.conf", "-c", "www1"),
            List.of("pkg", "-j", "www1", "install", "-y", "nginx"));
  }
}
