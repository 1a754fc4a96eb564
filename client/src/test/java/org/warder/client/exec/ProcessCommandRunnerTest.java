package org.warder.client.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.warder.client.progress.Reporter;

/**
 * {@link ProcessCommandRunner#feed} and {@link ProcessCommandRunner#filter} with real processes.
 */
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

  @Test
  void testFilter_readsWhileTheWriterStillWrites() throws Exception {
    java.util.concurrent.CountDownLatch firstRead = new java.util.concurrent.CountDownLatch(1);
    String read =
        runner.filter(
            Command.of("cat"),
            stdin -> {
              stdin.write("first\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
              stdin.flush();
              // the rest only once the reader has the first line: the two overlap
              try {
                if (!firstRead.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                  throw new IOException("the reader never got the first line");
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
              }
              stdin.write("second\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
              return null;
            },
            stdout -> {
              java.io.BufferedReader lines =
                  new java.io.BufferedReader(
                      new java.io.InputStreamReader(
                          stdout, java.nio.charset.StandardCharsets.US_ASCII));
              String first = lines.readLine();
              firstRead.countDown();
              return first + "+" + lines.readLine() + "+" + lines.readLine();
            });
    assertThat(read).isEqualTo("first+second+null");
  }

  @Test
  void testFilter_aWriterFailureKillsTheCommandAndIsWhatIsThrown() {
    assertThatThrownBy(
            () ->
                runner.filter(
                    Command.of("sh", "-c", "cat; echo finished >&2"),
                    stdin -> {
                      stdin.write(new byte[100]);
                      throw new IOException("chunk 3 failed its sha256");
                    },
                    stdout -> {
                      stdout.readAllBytes();
                      throw new IOException("truncated archive");
                    }))
        .isExactlyInstanceOf(IOException.class)
        .hasMessage("chunk 3 failed its sha256");
  }

  @Test
  void testFilter_aReaderFailureIsThrownAndTheCommandKilled() {
    assertThatThrownBy(
            () ->
                runner.filter(
                    Command.of("cat"),
                    stdin -> {
                      byte[] block = new byte[64 * 1024];
                      while (true) {
                        stdin.write(block); // until the killed cat breaks the pipe
                      }
                    },
                    stdout -> {
                      stdout.readNBytes(10);
                      throw new IllegalStateException("refused member");
                    }))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("refused member");
  }

  @Test
  void testFilter_aFailingCommandIsReported() {
    assertThatThrownBy(
            () ->
                runner.filter(
                    Command.of("sh", "-c", "cat >/dev/null; echo bad data >&2; exit 1"),
                    stdin -> {
                      stdin.write(new byte[10]);
                      return null;
                    },
                    stdout -> stdout.readAllBytes().length))
        .isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("bad data");
  }
}
