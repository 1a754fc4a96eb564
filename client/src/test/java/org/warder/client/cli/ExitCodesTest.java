package org.warder.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
import org.warder.signing.testing.CliRun;

/** How failures end {@code warder}: the reason table and the line on stderr. */
class ExitCodesTest {
  @TempDir Path root;

  @ParameterizedTest
  @EnumSource(value = Reason.class, names = "PRIVILEGE", mode = EnumSource.Mode.EXCLUDE)
  void testOf_everyReasonIsAFailureOnOneWarderLine(Reason reason) {
    ExitCodes.Failure failure = ExitCodes.of(new ClientException(reason, "x"));
    assertThat(failure).isEqualTo(ExitCodes.of(reason));
    assertThat(failure.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(failure.prefix()).isEqualTo("warder: ");
  }

  @Test
  void testOf_missingPrivilegeIsExit77() {
    assertThat(ExitCodes.of(new ClientException(Reason.PRIVILEGE, "x")))
        .isEqualTo(new ExitCodes.Failure(77, "warder: "));
  }

  @Test
  void testOf_otherExceptionsArePlainFailures() {
    assertThat(ExitCodes.of(new IOException("disk full")))
        .isEqualTo(new ExitCodes.Failure(ExitCodes.FAILURE, "warder: "));
    assertThat(ExitCodes.of(new IllegalStateException()).code()).isEqualTo(ExitCodes.FAILURE);
  }

  @Test
  void testUsage_twoExceptUnderTuf() {
    assertThat(ExitCodes.usage(false)).isEqualTo(new ExitCodes.Failure(2, "warder: "));
    assertThat(ExitCodes.usage(true)).isEqualTo(new ExitCodes.Failure(1, "warder: "));
  }

  @Test
  void testRun_clientExceptionEndsWithItsReasonsCodeAndOneLine() {
    CliRun run = warder("fetch", "-r", "not-a-release", "--mirror", "http://127.0.0.1:9/");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err())
        .isEqualTo(
            "warder: expected a FreeBSD release name like 14.2-RELEASE, found \"not-a-release\""
                + System.lineSeparator());
  }

  @Test
  void testRun_badCommandLineIsUsage() {
    CliRun run = warder("fetch", "--no-such-option");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("warder: ").contains("Try 'warder fetch --help'.");
  }

  private CliRun warder(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--root";
    all[1] = root.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.of((out, err, a) -> WarderMain.run(out, err, Map.of("CI", "true"), a), all);
  }
}
