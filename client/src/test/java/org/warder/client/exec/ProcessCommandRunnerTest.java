package org.warder.client.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.warder.client.progress.Reporter;

/** {@link ProcessCommandRunner#feed} with real processes. */
class ProcessCommandRunnerTest {
  private final ProcessCommandRunner runner = new ProcessCommandRunner(Reporter.silent(), false);

  @Test
  void testFeed_commandThatExitsWhileFedReportsItsOwnError() {
    byte[] chunk = new byte[64 * 1024];
    assertThatThrownBy(
            () ->
                runner.feed(
                    Command.of("sh", "-c", "head -c 10 >/dev/null; echo refused >&2; exit 3"),
                    stdin -> {
                      for (int i = 0; i < 1024; i++) {
                        stdin.write(chunk);
                      }
                      return null;
                    }))
        .isInstanceOf(CommandFailedException.class)
        .hasMessageEndingWith("' exited with status 3: refused");
  }

  @Test
  void testFeed_writerFailureKillsTheCommandAndIsRethrown() {
    assertThatThrownBy(
            () ->
                runner.feed(
                    Command.of("sh", "-c", "cat >/dev/null; echo finished >&2"),
                    stdin -> {
                      stdin.write(new byte[100]);
                      throw new IOException("the source broke");
                    }))
        .isExactlyInstanceOf(IOException.class)
        .hasMessage("the source broke");
  }

  @Test
  void testFeed_wholeInput() throws Exception {
    String result =
        runner.feed(
            Command.of("sh", "-c", "test \"$(wc -c)\" -eq 3"),
            stdin -> {
              stdin.write("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
              return "fed";
            });
    assertThat(result).isEqualTo("fed");
  }
}
