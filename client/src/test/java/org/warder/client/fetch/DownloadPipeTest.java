package org.warder.client.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.warder.signing.tuf.DigestMismatchException;
import org.warder.signing.tuf.VerificationIOException;

/** {@link DownloadPipe}: a download on its own thread, read on the caller's. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DownloadPipeTest {
  private static final byte[] BYTES = bytes(3 << 20);

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  @Test
  void testTheReaderSeesWhatTheDownloadHandsOn_whileItGoesOn() throws Exception {
    CountDownLatch firstRead = new CountDownLatch(1);
    DownloadPipe pipe =
        DownloadPipe.start(
            "t",
            out -> {
              out.write(BYTES, 0, 1 << 20);
              try {
                // the rest only once the reader has seen the first bytes: they overlap
                assertThat(firstRead.await(1, TimeUnit.MINUTES)).isTrue();
              } catch (InterruptedException e) {
                throw new IOException(e);
              }
              out.write(BYTES, 1 << 20, BYTES.length - (1 << 20));
            });
    try {
      InputStream in = pipe.input();
      byte[] first = in.readNBytes(1 << 20);
      firstRead.countDown();
      byte[] rest = in.readAllBytes();
      assertThat(concat(first, rest)).isEqualTo(BYTES);
      assertThat(pipe.awaitDownload()).isEmpty();
    } finally {
      pipe.stop();
    }
  }

  @Test
  void testAFailedDownload_endsTheStreamAndIsNotedBeforeTheEnd() throws Exception {
    IOException failure = new IOException("chunk 1 did not match");
    DownloadPipe pipe =
        DownloadPipe.start(
            "t",
            out -> {
              out.write(BYTES, 0, 1000);
              throw failure;
            });
    try {
      byte[] read = pipe.input().readAllBytes();
      assertThat(read).isEqualTo(Arrays.copyOf(BYTES, 1000));
      IOException cut = new IOException("the reader's stream was cut short");
      assertThatThrownBy(() -> pipe.throwIfFailed(cut, IllegalStateException::new))
          .as("noted before the reader saw the end, thrown as it is")
          .isSameAs(failure)
          .hasSuppressedException(cut);
      assertThat(pipe.awaitDownload()).containsSame(failure);
    } finally {
      pipe.stop();
    }
  }

  @Test
  void testAReaderThatStops_makesTheDownloadsNextWriteFail() throws Exception {
    AtomicReference<IOException> seen = new AtomicReference<>();
    DownloadPipe pipe =
        DownloadPipe.start(
            "t",
            out -> {
              try {
                for (int i = 0; i < 64; i++) {
                  out.write(BYTES); // far more than the pipe holds
                }
              } catch (IOException e) {
                seen.set(e);
                throw e;
              }
            });
    pipe.input().readNBytes(1000);
    pipe.stop(); // returns only once the download ended
    assertThat(seen.get()).as("the download's write failed").isNotNull();
    assertThatThrownBy(
            () -> pipe.throwIfFailed(new IOException("reader"), IllegalStateException::new))
        .isSameAs(seen.get());
  }

  @Test
  void testAVerificationFailure_isThrownAsTheRefusalTheCallerMakes() throws Exception {
    VerificationIOException failure =
        new VerificationIOException(
            new DigestMismatchException("t chunk 1 (bytes 4194304+)", "sha256", "aa", "bb"));
    DownloadPipe pipe =
        DownloadPipe.start(
            "t",
            out -> {
              throw failure;
            });
    try {
      assertThat(pipe.input().readAllBytes()).isEmpty();
      assertThat(pipe.awaitDownload()).containsSame(failure);
      assertThatThrownBy(
              () ->
                  pipe.throwIfFailed(
                      new IOException("cut"), f -> new IllegalArgumentException("refused", f)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("refused")
          .hasCause(failure);
    } finally {
      pipe.stop();
    }
  }

  @Test
  void testNoFailure_throwIfFailedReturns() throws Exception {
    DownloadPipe pipe = DownloadPipe.start("t", out -> out.write(BYTES, 0, 10));
    try {
      assertThat(pipe.input().readAllBytes()).hasSize(10);
      assertThat(pipe.awaitDownload()).isEmpty();
      pipe.throwIfFailed(new IOException("unused"), IllegalStateException::new);
    } finally {
      pipe.stop();
    }
  }

  @Test
  void testARuntimeFailureOfTheDownloadIsNotedToo() throws Exception {
    DownloadPipe pipe =
        DownloadPipe.start(
            "t",
            out -> {
              throw new IllegalStateException("bug");
            });
    try {
      assertThat(pipe.input().readAllBytes()).isEmpty();
      assertThat(pipe.awaitDownload()).get().isInstanceOf(IllegalStateException.class);
    } finally {
      pipe.stop();
    }
    assertThatThrownBy(() -> pipe.input().read()).isInstanceOf(IOException.class);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
