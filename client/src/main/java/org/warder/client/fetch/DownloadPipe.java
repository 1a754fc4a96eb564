package org.warder.client.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.warder.client.ClientException;
import org.warder.signing.tuf.TufException;
import org.warder.signing.tuf.VerificationIOException;

/**
 * A download running on a thread of its own into a pipe that the caller reads on its thread: the
 * bytes the download hands on are what the reader sees, in order, with only the kernel's pipe
 * buffer between them. The reader sees the end of the stream once the download returned or failed
 * ({@link #awaitDownload} says which); a failure is noted before the end is seen, so that a reader
 * failing on a stream cut short can tell ({@link #throwIfFailed}). {@link #stop} makes a download
 * that still writes fail at its next write and waits for it to end, so that what it cleans up on
 * failure is cleaned up. Used once, from one thread.
 */
public final class DownloadPipe {
  /** A download that hands its bytes to {@code out} while it goes on; {@code out} stays open. */
  @FunctionalInterface
  public interface Download {
    void into(OutputStream out) throws IOException, TufException, ClientException;
  }

  private final Pipe.SourceChannel source;
  private final Thread thread;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  private DownloadPipe(String name, Download download) throws IOException {
    Pipe pipe = Pipe.open();
    this.source = pipe.source();
    Pipe.SinkChannel sink = pipe.sink();
    this.thread =
        new Thread(
            () -> {
              try (OutputStream out = Channels.newOutputStream(sink)) {
                try {
                  download.into(out);
                } catch (IOException | TufException | ClientException | RuntimeException e) {
                  failure.set(e); // before the reader sees the end of the stream
                }
              } catch (IOException closing) {
                failure.compareAndSet(null, closing);
              }
            },
            "download " + name);
    thread.setDaemon(true);
  }

  /** Starts {@code download} into a new pipe; {@code name} names its thread. */
  public static DownloadPipe start(String name, Download download) throws IOException {
    DownloadPipe pipe = new DownloadPipe(name, download);
    pipe.thread.start();
    return pipe;
  }

  /** What the download hands on, ending when it ends. */
  public InputStream input() {
    return Channels.newInputStream(source);
  }

  /** Waits for the download to end; its failure, when it failed. */
  public Optional<Exception> awaitDownload() throws InterruptedException {
    thread.join();
    return Optional.ofNullable(failure.get());
  }

  /**
   * When the download failed, throws its failure, with {@code cut} (the reader's own failure on a
   * stream cut short) suppressed in it: a {@link RuntimeException} and an {@link IOException} that
   * is not a {@link VerificationIOException} as they are; anything else (the bytes were not the
   * signed ones, or the source refused them) as {@code refusal} makes it. Returns when the download
   * has not failed (so far).
   */
  public <X extends Exception> void throwIfFailed(Exception cut, Function<Exception, X> refusal)
      throws IOException, X {
    Exception failed = failure.get();
    if (failed == null) {
      return;
    }
    if (cut.getCause() != failed) {
      failed.addSuppressed(cut);
    }
    if (failed instanceof IOException io && !(failed instanceof VerificationIOException)) {
      throw io;
    }
    if (failed instanceof RuntimeException r) {
      throw r;
    }
    throw refusal.apply(failed);
  }

  /**
   * Stops the download if it still writes (its next write fails) and waits for it to end; its
   * failure then is the reader's doing and not reported.
   */
  public void stop() throws IOException, InterruptedException {
    try {
      source.close();
    } finally {
      thread.join();
    }
  }
}
