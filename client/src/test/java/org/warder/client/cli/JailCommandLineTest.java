package org.warder.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.signing.testing.CliRun;
import picocli.CommandLine.ParseResult;

/**
 * {@code warder exec NAME ...} and {@code warder pkg NAME ...}: everything after the jail's name is
 * the jail's command, options included; warder's own options come before the name.
 */
class JailCommandLineTest {
  @TempDir Path root;

  @Test
  void testExec_optionsAfterTheNameAreTheCommands() {
    assertThat(exec("exec", "www", "ls", "-l", "/")).containsExactly("ls", "-l", "/");
    assertThat(exec("exec", "www", "sh", "-c", "echo hi; id"))
        .containsExactly("sh", "-c", "echo hi; id");
    assertThat(exec("exec", "www", "ls", "--help", "-h", "-V"))
        .containsExactly("ls", "--help", "-h", "-V");
  }

  @Test
  void testExec_aLeadingDoubleDashStillWorksALaterOneIsTheCommands() {
    assertThat(exec("exec", "www", "--", "ls", "-l")).containsExactly("ls", "-l");
    assertThat(exec("exec", "www", "sh", "-c", "echo \"$@\"", "--", "a"))
        .containsExactly("sh", "-c", "echo \"$@\"", "--", "a");
  }

  @Test
  void testPkg_optionsAfterTheNameArePkgs() {
    ParseResult parsed = parse("pkg", "www", "install", "-y", "nginx");
    JailCommands.Pkg pkg = (JailCommands.Pkg) parsed.subcommand().commandSpec().userObject();
    assertThat(pkg.name).isEqualTo("www");
    assertThat(pkg.args).containsExactly("install", "-y", "nginx");
  }

  @Test
  void testHelp_beforeTheNameIsWarders() {
    CliRun run = warder("exec", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: warder exec").contains("everything after NAME");
    assertThat(warder("pkg", "-h").out()).contains("Usage: warder pkg");
  }

  @Test
  void testExec_withoutACommandIsAUsageError() {
    CliRun run = warder("exec", "www");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("CMD").contains("Try 'warder exec --help'.");
  }

  private static List<String> exec(String... args) {
    ParseResult parsed = parse(args);
    JailCommands.Exec exec = (JailCommands.Exec) parsed.subcommand().commandSpec().userObject();
    assertThat(exec.name).isEqualTo("www");
    return exec.command;
  }

  private static ParseResult parse(String... args) {
    return WarderMain.commandLine().parseArgs(args);
  }

  private CliRun warder(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--root";
    all[1] = root.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.of((out, err, a) -> WarderMain.run(out, err, Map.of(), a), all);
  }
}
