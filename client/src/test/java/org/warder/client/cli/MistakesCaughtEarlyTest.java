package org.warder.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.signing.testing.CliRun;

/**
 * Mistakes {@code warder} catches before it does anything: a command that needs root run without
 * it, a mistyped command or option, contradicting properties at {@code create}/{@code set}, and a
 * {@code destroy} nobody confirmed. The operator (root or not, a terminal or not) is a fake.
 */
class MistakesCaughtEarlyTest {
  private static final String NL = System.lineSeparator();
  @TempDir Path root;

  /** An operator: root or not, and the answer typed at the terminal (empty: no terminal). */
  private static final class FakeOperator implements Operator {
    final boolean root;
    final Optional<String> answer;
    final List<String> questions = new ArrayList<>();

    FakeOperator(boolean root, Optional<String> answer) {
      this.root = root;
      this.answer = answer;
    }

    @Override
    public boolean root() {
      return root;
    }

    @Override
    public Optional<String> ask(String question) {
      questions.add(question);
      return answer;
    }
  }

  private static final FakeOperator ROOT_IN_A_SCRIPT = new FakeOperator(true, Optional.empty());
  private static final FakeOperator USER = new FakeOperator(false, Optional.empty());

  private CliRun warder(Operator operator, String... args) {
    List<String> all = new ArrayList<>(List.of("--root", root.toString()));
    all.addAll(List.of(args));
    return CliRun.of(
        (out, err, a) -> WarderMain.run(out, err, Map.of("CI", "true"), operator, a),
        all.toArray(String[]::new));
  }

  private CliRun ok(Operator operator, String... args) {
    CliRun run = warder(operator, args);
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    return run;
  }

  @Test
  void mistypedCommand_namesTheClosest() {
    CliRun run = warder(ROOT_IN_A_SCRIPT, "lsit");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .startsWith("warder: unknown command 'lsit'; did you mean list or set?" + NL)
        .contains("Try 'warder --help'.");

    assertThat(warder(ROOT_IN_A_SCRIPT, "repo", "ad", "main").err())
        .startsWith("warder: unknown command 'ad' of 'warder repo'; did you mean add?" + NL);
    assertThat(warder(ROOT_IN_A_SCRIPT, "frobnicate").err())
        .startsWith("warder: unknown command 'frobnicate'" + NL);
  }

  @Test
  void mistypedOption_namesTheClosest() {
    CliRun run = warder(ROOT_IN_A_SCRIPT, "list", "--jsno");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .startsWith("warder: unknown option '--jsno' of 'warder list'; did you mean --json?" + NL)
        .contains("Try 'warder list --help'.");
    assertThat(warder(ROOT_IN_A_SCRIPT, "destroy", "--dry-rn", "www").err())
        .startsWith(
            "warder: unknown option '--dry-rn' of 'warder destroy'; did you mean --dry-run?" + NL);
  }

  @Test
  void commandsThatNeedRoot_refusedFirstWithExit77() throws Exception {
    ok(USER, "create", "-e", "-n", "www"); // directory storage: the user may own the root
    CliRun start = warder(USER, "start", "www");
    assertThat(start.exitCode()).isEqualTo(ExitCodes.NO_PERMISSION).isEqualTo(77);
    assertThat(start.err())
        .isEqualTo(
            "warder: warder start needs root: it runs jail(8) / the bubblewrap sandbox; run it"
                + " as root (sudo warder ..., doas warder ...)"
                + NL);
    assertThat(warder(USER, "fetch", "-P", "transmission").err())
        .startsWith(
            "warder: warder fetch -P needs root: it installs the plugin into a jail it starts");
    assertThat(warder(USER, "destroy", "-f", "www").exitCode()).isEqualTo(77);
    assertThat(warder(USER, "console", "www").err())
        .startsWith("warder: warder console needs root: it runs jail(8)");
    assertThat(warder(USER, "fstab", "www", "-a", "/tmp", "/mnt").exitCode()).isEqualTo(77);
    assertThat(warder(USER, "update", "www").exitCode()).isEqualTo(77);
    assertThat(ok(USER, "df", "-h").out()).contains("www");
    assertThat(root.resolve("jails/www")).isDirectory();

    assertThat(ok(USER, "get", "boot", "www").out()).isEqualTo("0" + NL);
    assertThat(ok(USER, "destroy", "--dry-run", "www").out()).contains("destroy jails/www");
    assertThat(ok(USER, "start", "--help").out()).startsWith("Usage: warder start");
  }

  @Test
  void list_asNonRootSaysTheRunningStateIsUnknown() {
    ok(ROOT_IN_A_SCRIPT, "create", "-e", "-n", "www");
    CliRun asUser = ok(USER, "list", "-h");
    assertThat(asUser.err()).contains("not root, so whether the jails run is unknown");
    assertThat(asUser.out()).isEqualTo("-\twww\tunknown\tEMPTY\tnone\tjail" + NL);
    CliRun asRoot = ok(ROOT_IN_A_SCRIPT, "list", "-h");
    assertThat(asRoot.err()).isEmpty();
    assertThat(asRoot.out()).isEqualTo("-\twww\tdown\tEMPTY\tnone\tjail" + NL);
    assertThat(ok(USER, "list", "-r").err()).isEmpty();
  }

  @Test
  void destroy_asksOnATerminal_refusesWithoutOneUnlessForced() {
    ok(ROOT_IN_A_SCRIPT, "create", "-e", "-n", "www");
    Path jail = root.resolve("jails/www");

    CliRun script = warder(ROOT_IN_A_SCRIPT, "destroy", "www");
    assertThat(script.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(script.err()).contains("no terminal to ask on").contains("use -f");
    assertThat(jail).isDirectory();

    FakeOperator no = new FakeOperator(true, Optional.of("n"));
    assertThat(warder(no, "destroy", "www").err()).contains("not destroyed: www");
    assertThat(no.questions)
        .containsExactly("Destroy www and everything in it? It cannot be undone. [y/N] ");
    assertThat(jail).isDirectory();

    FakeOperator yes = new FakeOperator(true, Optional.of("y"));
    assertThat(ok(yes, "destroy", "www").out()).contains("www destroyed");
    assertThat(jail).doesNotExist();

    ok(ROOT_IN_A_SCRIPT, "create", "-e", "-n", "www");
    FakeOperator untouched = new FakeOperator(true, Optional.of("n"));
    ok(untouched, "destroy", "-f", "www");
    assertThat(untouched.questions).isEmpty();
    assertThat(jail).doesNotExist();
  }

  @Test
  void contradictingProperties_refusedAtCreateAndSet() throws Exception {
    CliRun create =
        warder(
            ROOT_IN_A_SCRIPT,
            "create",
            "-e",
            "-n",
            "www",
            "vnet=1",
            "nat=1",
            "ip4_addr=vnet0|192.0.2.5/24");
    assertThat(create.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(create.err()).contains("ip4_addr is set together with nat=1");
    assertThat(root.resolve("jails/www")).doesNotExist();

    ok(ROOT_IN_A_SCRIPT, "create", "-e", "-n", "www");
    String before = Files.readString(root.resolve("jails/www/config.json"));
    CliRun set = warder(ROOT_IN_A_SCRIPT, "set", "ip4=inherit", "ip4_addr=em0|192.0.2.5/24", "www");
    assertThat(set.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(set.err()).contains("ip4_addr is set but ip4=inherit");
    assertThat(root.resolve("jails/www/config.json")).hasContent(before);
  }

  @Test
  void create_saysWhatItMade() {
    assertThat(ok(ROOT_IN_A_SCRIPT, "create", "-e", "-n", "www").out())
        .contains("www created: an empty jail (no release; put a userland into its root)")
        .doesNotContain("from nothing");
  }
}
