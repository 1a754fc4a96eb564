package org.warder.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What of the FreeBSD port can be checked on Linux: the rc.d scripts' syntax in three POSIX shells,
 * their variables and defaults under a stand-in rc.subr, the plist against what the build writes,
 * and the Makefile against the pom.
 */
class FreeBsdPortTest {
  private static final Path PORT = Path.of("freebsd", "sysutils", "warder");
  private static final Path FILES = PORT.resolve("files");
  private static final List<String> RC_SCRIPTS = List.of("warder", "warder_registry");

  /** rc.subr's part these scripts use: variables come from the environment, as rc.conf's would. */
  private static final String RC_SUBR =
      """
      load_rc_config() { :; }
      run_rc_command() {
        for v in name rcvar desc command command_args pidfile procname start_cmd stop_cmd \\
            start_precmd stop_postcmd; do
          eval "printf '%s=%s\\n' \\"$v\\" \\"\\${$v}\\""
        done
        case "$1" in
          start) [ -n "$start_cmd" ] && $start_cmd ;;
          stop) [ -n "$stop_cmd" ] && $stop_cmd ;;
        esac
      }
      """;

  @Test
  void rcScriptsAreValidInShDashAndBusybox() throws Exception {
    for (String script : RC_SCRIPTS) {
      Path file = FILES.resolve(script + ".in");
      for (List<String> shell : List.of(List.of("sh"), List.of("dash"), List.of("busybox", "sh"))) {
        List<String> argv = new ArrayList<>(shell);
        argv.addAll(List.of("-n", file.toString()));
        Shell.Result check = Shell.run(argv);
        assertThat(check.err()).as(argv.toString()).isEmpty();
        assertThat(check.exit()).as(argv.toString()).isZero();
      }
    }
  }

  @Test
  void rcHeadersOrderTheScriptsForJailHosts() throws IOException {
    Map<String, String> registry = headers("warder_registry");
    assertThat(registry).containsEntry("PROVIDE", "warder_registry");
    assertThat(registry.get("REQUIRE").split(" ")).contains("LOGIN", "NETWORKING");
    assertThat(registry.get("KEYWORD").split(" ")).contains("shutdown");

    Map<String, String> warder = headers("warder");
    assertThat(warder).containsEntry("PROVIDE", "warder");
    // jails start once file systems (ZFS datasets too) and the network are up, before the
    // securelevel is raised, as jail(8)'s own script; never inside a jail; stopped at shutdown
    assertThat(warder.get("REQUIRE").split(" "))
        .contains("LOGIN", "FILESYSTEMS", "NETWORKING", "zfs");
    assertThat(warder).containsEntry("BEFORE", "securelevel");
    assertThat(warder.get("KEYWORD").split(" ")).contains("nojail", "shutdown");
  }

  private static Map<String, String> headers(String script) throws IOException {
    Map<String, String> out = new HashMap<>();
    Matcher m =
        Pattern.compile("(?m)^# (PROVIDE|REQUIRE|BEFORE|KEYWORD): (.+)$")
            .matcher(Files.readString(FILES.resolve(script + ".in")));
    while (m.find()) {
      out.put(m.group(1), m.group(2).strip());
    }
    return out;
  }

  @Test
  void registryScriptDefaultsAndDaemonArguments(@TempDir Path dir) throws Exception {
    Map<String, String> defaults = rc(dir, "warder_registry", Map.of(), "status");
    assertThat(defaults)
        .containsEntry("name", "warder_registry")
        .containsEntry("rcvar", "warder_registry_enable")
        .containsEntry("command", "/usr/sbin/daemon")
        .containsEntry("pidfile", "/var/run/warder_registry.pid")
        .containsEntry("warder_registry_enable", "NO");
    assertThat(defaults.get("command_args"))
        .startsWith("-f -P /var/run/warder_registry.pid ")
        .contains("-u warder ")
        .contains(
            "/usr/local/bin/warder-registry serve --data /var/db/warder-registry --listen"
                + " 127.0.0.1:8080");

    Map<String, String> set =
        rc(
            dir,
            "warder_registry",
            Map.of(
                "warder_registry_data_dir", "/srv/registry",
                "warder_registry_listen", "[::]:443",
                "warder_registry_user", "www",
                "warder_registry_flags", "--no-access-log"),
            "status");
    assertThat(set.get("command_args"))
        .contains("-u www ")
        .endsWith("serve --data /srv/registry --listen [::]:443 --no-access-log");
  }

  @Test
  void warderScriptStartsAndStopsTheBootJails(@TempDir Path dir) throws Exception {
    Map<String, String> start = rc(dir, "warder", Map.of(), "start");
    assertThat(start)
        .containsEntry("rcvar", "warder_enable")
        .containsEntry("warder_enable", "NO")
        .containsEntry("ran", "start --rc");
    assertThat(rc(dir, "warder", Map.of(), "stop")).containsEntry("ran", "stop --rc");
    assertThat(rc(dir, "warder", Map.of("warder_root", "/jails"), "start"))
        .containsEntry("ran", "--root /jails start --rc");
  }

  /**
   * Runs rc script {@code script} with {@code command} under the stand-in rc.subr, {@code rcConf}
   * as the variables rc.conf sets and PREFIX a directory whose bin/warder prints "ran=ARGS"; the
   * variables run_rc_command saw, and the script's own NAME_* variables, by name.
   */
  private static Map<String, String> rc(
      Path dir, String script, Map<String, String> rcConf, String command) throws Exception {
    Path subr = Files.writeString(dir.resolve("rc.subr"), RC_SUBR);
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path warder = Files.writeString(bin.resolve("warder"), "#!/bin/sh\necho \"ran=$*\"\n");
    Files.setPosixFilePermissions(warder, PosixFilePermissions.fromString("rwxr-xr-x"));
    String text =
        Files.readString(FILES.resolve(script + ".in"))
            .replace(". /etc/rc.subr", ". " + subr)
            .replace("%%PREFIX%%/bin/warder ", bin.resolve("warder") + " ")
            .replace("%%PREFIX%%", "/usr/local");
    StringBuilder program = new StringBuilder();
    rcConf.forEach((k, v) -> program.append(k).append("='").append(v).append("'\n"));
    program.append("set -- ").append(command).append('\n').append(text);
    program.append("\nset | grep '^").append(script).append("_' || true\n");
    Shell.Result result = Shell.run(List.of("sh", "-c", program.toString()));
    assertThat(result.err()).as(script).isEmpty();
    assertThat(result.exit()).as(script).isZero();
    Map<String, String> vars = new LinkedHashMap<>();
    for (String line : result.out().split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        vars.putIfAbsent(line.substring(0, eq), line.substring(eq + 1).replaceAll("^'|'$", ""));
      }
    }
    return vars;
  }

  @Test
  void plistListsExactlyTheManPagesAndCompletionTheBuildWrites() throws IOException {
    Set<String> expected = new TreeSet<>();
    try (Stream<Path> pages = Files.list(Path.of("target", "man", "man1"))) {
      pages.forEach(p -> expected.add("share/man/man1/" + p.getFileName() + ".gz"));
    }
    try (Stream<Path> scripts = Files.list(Path.of("target", "completion"))) {
      scripts.forEach(
          p -> {
            String f = p.getFileName().toString();
            expected.add(
                f.startsWith("_")
                    ? "share/zsh/site-functions/" + f
                    : "share/bash-completion/completions/" + f.replaceFirst("\\.bash$", ""));
          });
    }
    assertThat(expected)
        .contains("share/man/man1/warder-start.1.gz", "share/zsh/site-functions/_warder");
    Set<String> listed = new TreeSet<>(Files.readAllLines(PORT.resolve("pkg-plist")));
    Set<String> generated = new TreeSet<>(listed);
    generated.removeIf(
        l ->
            !l.startsWith("share/man/")
                && !l.startsWith("share/bash-completion/")
                && !l.startsWith("share/zsh/"));
    assertThat(generated)
        .as("pkg-plist's man pages and completion files (a new command needs its line)")
        .containsExactlyElementsOf(expected);

    listed.removeAll(generated);
    // the class-data archives: written by the installed script with the installed JVM, removed
    // before the package goes (they are not files of the package)
    assertThat(listed)
        .containsExactlyInAnyOrder(
            "bin/warder",
            "bin/warder-registry",
            "@sample etc/warder.conf.sample",
            "@postexec sh %D/%%DATADIR%%/class-data-archive.sh client %D/%%DATADIR%%/client"
                + " %%JAVA%% >/dev/null 2>&1 || true",
            "@postexec sh %D/%%DATADIR%%/class-data-archive.sh registry %D/%%DATADIR%%/registry"
                + " %%JAVA%% >/dev/null 2>&1 || true",
            "@preunexec rm -f %D/%%DATADIR%%/client/warder.jsa"
                + " %D/%%DATADIR%%/registry/warder-registry.jsa");
    assertThat(Path.of("class-data-archive.sh")).isRegularFile();
    assertThat(FILES.resolve("warder.conf.sample")).isRegularFile();
  }

  @Test
  void makefileMatchesThePomAndTheFilesDirectory() throws IOException {
    String pom = Files.readString(Path.of("..", "pom.xml"), StandardCharsets.UTF_8);
    Matcher version =
        Pattern.compile("<artifactId>warder-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertThat(version.find()).isTrue();
    String release = version.group(1).replaceFirst("-SNAPSHOT$", "");

    Map<String, String> make = makeVariables(Files.readString(PORT.resolve("Makefile")));
    assertThat(make).containsEntry("PORTNAME", "warder").containsEntry("DISTVERSION", release);
    assertThat(make.get("USE_RC_SUBR").split("\\s+"))
        .containsExactlyInAnyOrderElementsOf(RC_SCRIPTS);
    for (String sub : make.get("SUB_FILES").split("\\s+")) {
      assertThat(FILES.resolve(sub + ".in")).as("SUB_FILES " + sub).isRegularFile();
    }
    String distinfo = Files.readString(PORT.resolve("distinfo"));
    assertThat(distinfo)
        .contains("SHA256 (warder-" + release + ".tar.gz)")
        .contains("SHA256 (warder-" + release + "-maven-repository.tar.gz)");

    String wrappers =
        Files.readString(FILES.resolve("warder.sh.in"))
            + Files.readString(FILES.resolve("warder-registry.sh.in"));
    assertThat(wrappers)
        .contains("%%DATADIR%%/client/warder.jar")
        .contains("%%DATADIR%%/registry/warder-registry.jar")
        .contains("archive=%%DATADIR%%/client/warder.jsa")
        .contains("archive=%%DATADIR%%/registry/warder-registry.jsa");
    assertThat(make.get("PLIST_SUB")).isEqualTo("JAVA=${JAVA}");
  }

  /** {@code NAME= value} assignments, continuation lines joined. */
  private static Map<String, String> makeVariables(String makefile) {
    Map<String, String> out = new HashMap<>();
    Matcher m =
        Pattern.compile("(?m)^([A-Z_]+)=\\s*((?:[^\\n]*\\\\\\n)*[^\\n]*)$").matcher(makefile);
    while (m.find()) {
      out.put(m.group(1), m.group(2).replaceAll("\\\\\\n\\s*", " ").strip());
    }
    return out;
  }
}
