package org.warder.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.testing.BusyboxRoot;
import org.warder.registry.testing.FreePort;

/**
 * README.md's command examples work as written: every {@code ```sh} block is run, in order, in one
 * shell, as root, from the top of the project with {@code bin/} on PATH, unless it is marked.
 *
 * <p>The contract, for everyone who edits README.md:
 *
 * <ul>
 *   <li>A fenced block opened with {@code ```sh} is a command block: this test runs it.
 *   <li>A command block that cannot run on Linux has, on the line right before its fence, {@code
 *       <!-- freebsd-only: REASON -->} with a reason; this test leaves it out (and fails on a
 *       marker without a reason).
 *   <li>Plain {@code ```} blocks (synopses, file formats, layouts) are not commands and are not
 *       run. Blocks opened as {@code ```bash}, {@code ```shell}, {@code ```console} or {@code
 *       ```shell-session} are refused: write {@code ```sh}, so that no command block escapes.
 * </ul>
 *
 * <p>The environment: a temporary {@code TMPDIR} (the blocks' {@code mktemp -d} lands there) and
 * {@code HOME} of the test's own; no inherited {@code WARDER_*} variable; the jars {@code mvn
 * verify} packaged before this integration test runs. Two lines of the Quick start block are
 * changed, each for its reason, in {@link #ADAPTED}: the test fails when such a line is no longer
 * in the README, so the table cannot go stale.
 */
class ReadmeCommandsTest {
  private static final Path TOP = Path.of("").toAbsolutePath().getParent();
  private static final Pattern FENCE = Pattern.compile("^```\\s*([A-Za-z-]*)\\s*$");
  private static final Pattern MARKER = Pattern.compile("^<!-- freebsd-only:(.*)-->\\s*$");
  private static final List<String> REFUSED_INFO =
      List.of("bash", "shell", "console", "shell-session", "zsh");

  /** README lines the test runs otherwise, and why: the line as written → what runs instead. */
  private static final Map<String, Adapted> ADAPTED =
      Map.of(
          "bin/quickstart",
          new Adapted(
              "bin/quickstart --no-build",
              "this mvn verify has already packaged the jars; a build inside it would replace"
                  + " them under the running build"),
          "mvn -B verify",
          new Adapted(
              "",
              "it is the command that runs this test: running it here would recurse into the"
                  + " whole suite"));

  record Adapted(String replacement, String reason) {}

  /** A command block: the 1-based line of its fence, its marker's reason if any, its lines. */
  record Block(int line, Optional<String> freebsdOnly, List<String> lines) {}

  @TempDir Path tmp;

  @Test
  void testParse_everyCommandBlockIsRunOrMarkedWithAReason() throws IOException {
    List<Block> blocks = blocks(readme());
    assertThat(blocks).as("the README's sh blocks").hasSizeGreaterThan(5);
    assertThat(blocks.get(0).freebsdOnly()).as("the Quick start block runs").isEmpty();
    assertThat(blocks.stream().filter(b -> b.freebsdOnly().isPresent()))
        .allSatisfy(b -> assertThat(b.freebsdOnly().get()).as("line " + b.line()).isNotBlank());
    for (String line : ADAPTED.keySet()) {
      assertThat(blocks.stream().flatMap(b -> commandsOf(b).stream()).filter(line::equals))
          .as("README line '%s', which this test adapts (see ADAPTED)", line)
          .hasSize(1);
    }
  }

  @Test
  void testParse_theContract() {
    List<Block> blocks =
        blocks(
            List.of(
                "text",
                "```sh",
                "echo run",
                "```",
                "<!-- freebsd-only: needs jail(8) -->",
                "```sh",
                "jls",
                "```",
                "```",
                "warder SYNOPSIS",
                "```"));
    assertThat(blocks)
        .containsExactly(
            new Block(2, Optional.empty(), List.of("echo run")),
            new Block(6, Optional.of("needs jail(8)"), List.of("jls")));
    assertThat(refused(List.of("```bash", "ls", "```"))).contains("line 1").contains("```sh");
    assertThat(refused(List.of("```sh", "ls"))).contains("line 1").contains("not closed");
  }

  @Test
  void testRun_everyUnmarkedBlockSucceedsInOrder() throws Exception {
    BusyboxRoot.requireSandbox();
    for (String jar :
        List.of("client/target/warder.jar", "registry-server/target/warder-registry.jar")) {
      assertThat(TOP.resolve(jar)).as("packaged before the integration tests").exists();
    }
    List<Block> blocks = blocks(readme());
    StringBuilder script = new StringBuilder("set -e\n");
    for (Block b : blocks) {
      if (b.freebsdOnly().isPresent()) {
        continue;
      }
      script.append("echo '### README block at line ").append(b.line()).append("' >&2\n");
      for (String line : b.lines()) {
        Adapted adapted = ADAPTED.get(command(line));
        script.append(adapted == null ? line : adapted.replacement()).append('\n');
      }
    }
    script.append("echo '### README: every block ran' >&2\n");
    Path scriptFile = tmp.resolve("readme.sh");
    Files.writeString(scriptFile, script);
    Path log = tmp.resolve("readme.log");
    Path temp = Files.createDirectories(tmp.resolve("t"));
    ProcessBuilder pb =
        new ProcessBuilder("setsid", "sh", scriptFile.toString())
            .directory(TOP.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("WARDER_"));
    pb.environment().put("TMPDIR", temp.toString());
    pb.environment().put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
    Process shell = pb.start();
    int exit;
    try {
      exit = shell.waitFor(30, TimeUnit.MINUTES) ? shell.exitValue() : -1;
    } finally {
      stopEverything(shell, temp);
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    String failedAt =
        out.lines().filter(l -> l.startsWith("### README block")).reduce((a, b) -> b).orElse("");
    assertThat(exit)
        .as("README %s failed (exit %d); output:%n%s", failedAt, exit, tail(out, 80))
        .isZero();
    assertThat(out)
        .contains("### README: every block ran")
        .contains("Hello from warder's demo plugin")
        .contains("hello is running as pid");
    assertThat(Files.exists(tmp.resolve("home/.config/warder"))).as("nothing in HOME").isFalse();
  }

  /**
   * The quick start's servers listen on ports below the range the kernel hands to outgoing
   * connections: a port there can be held in TIME_WAIT by a connection that closed a moment ago
   * (the suite makes thousands on loopback), and a server cannot listen on it then.
   */
  @Test
  void testQuickstartPorts_areBelowTheOutgoingRange() throws Exception {
    int first = FreePort.outgoingRangeStart();
    List<String> script = Files.readAllLines(TOP.resolve("bin/quickstart"));
    int start = script.indexOf("free_port() {");
    assertThat(start).as("bin/quickstart's free_port function").isNotNegative();
    int end = script.subList(start, script.size()).indexOf("}") + start;
    String function = String.join("\n", script.subList(start, end + 1));
    Process sh =
        new ProcessBuilder("sh", "-c", function + "\nfor i in $(seq 100); do free_port; done")
            .redirectErrorStream(true)
            .start();
    String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(sh.waitFor()).as(out).isZero();
    assertThat(out.lines().map(Integer::parseInt).toList())
        .hasSize(100)
        .allSatisfy(port -> assertThat(port).isBetween(1024, first - 1));
  }

  /** The README's lines. */
  private static List<String> readme() throws IOException {
    return Files.readAllLines(TOP.resolve("README.md"), StandardCharsets.UTF_8);
  }

  /** The command blocks of {@code lines}; a refused fence or an unclosed block fails. */
  static List<Block> blocks(List<String> lines) {
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher fence = FENCE.matcher(lines.get(i));
      if (!fence.matches()) {
        continue;
      }
      String info = fence.group(1);
      if (REFUSED_INFO.contains(info)) {
        throw new AssertionError(
            "README line " + (i + 1) + ": expected ```sh for a command block, found ```" + info);
      }
      int close = i + 1;
      while (close < lines.size() && !lines.get(close).strip().equals("```")) {
        close++;
      }
      if (close == lines.size()) {
        throw new AssertionError("README line " + (i + 1) + ": the block is not closed");
      }
      if (info.equals("sh")) {
        Optional<String> reason = Optional.empty();
        if (i > 0) {
          Matcher marker = MARKER.matcher(lines.get(i - 1));
          if (marker.matches()) {
            reason = Optional.of(marker.group(1).strip());
          }
        }
        blocks.add(new Block(i + 1, reason, List.copyOf(lines.subList(i + 1, close))));
      }
      i = close;
    }
    return blocks;
  }

  /** The block's lines with a trailing comment ({@code " # ..."}) removed and stripped. */
  private static List<String> commandsOf(Block b) {
    return b.lines().stream().map(ReadmeCommandsTest::command).toList();
  }

  /** A line with its trailing comment ({@code " # ..."}) removed, stripped. */
  private static String command(String line) {
    return line.replaceFirst("\\s+#\\s.*$", "").strip();
  }

  private static String refused(List<String> lines) {
    try {
      blocks(lines);
      return "";
    } catch (AssertionError e) {
      return String.valueOf(e.getMessage());
    }
  }

  /**
   * Ends what the blocks left running, even when one failed: the shell's process group (servers
   * started with {@code &}), then every jail of every warder root under the blocks' TMPDIR.
   */
  private static void stopEverything(Process shell, Path temp) throws Exception {
    new ProcessBuilder("kill", "-TERM", "--", "-" + shell.pid())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor(10, TimeUnit.SECONDS);
    shell.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    List<Path> jails;
    try (Stream<Path> found =
        Files.find(temp, 4, (p, a) -> a.isDirectory() && p.endsWith("jails"))) {
      jails = found.toList();
    }
    for (Path dir : jails) {
      try (Stream<Path> names = Files.list(dir)) {
        for (Path jail : names.toList()) {
          StringWriter sink = new StringWriter();
          WarderMain.run(
              new PrintWriter(sink),
              new PrintWriter(sink),
              Map.of(),
              "--root",
              dir.getParent().toString(),
              "stop",
              jail.getFileName().toString());
        }
      }
    }
  }

  private static String tail(String text, int lines) {
    List<String> all = text.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
