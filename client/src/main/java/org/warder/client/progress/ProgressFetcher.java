package org.warder.client.progress;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import org.warder.signing.tuf.Fetcher;
import org.warder.signing.tuf.RetrySchedule;

/** A {@link Fetcher} that reports the bytes it delivers to a {@link ProgressListener}. */
public final class ProgressFetcher implements Fetcher {
  private final Fetcher delegate;
  private final ProgressListener listener;

  public ProgressFetcher(Fetcher delegate, ProgressListener listener) {
    this.delegate = delegate;
    this.listener = listener;
  }

  @Override
  public void fetch(URI url, long maxLength, OutputStream sink) throws IOException {
    delegate.fetch(url, maxLength, counting(sink));
  }

  @Override
  public void fetchFrom(URI url, long offset, long maxLength, OutputStream sink)
      throws IOException {
    delegate.fetchFrom(url, offset, maxLength, counting(sink));
  }

  @Override
  public void fetchOnce(URI url, long offset, long maxLength, OutputStream sink)
      throws IOException {
    delegate.fetchOnce(url, offset, maxLength, counting(sink));
  }

  @Override
  public RetrySchedule retries() {
    return delegate.retries();
  }

  private OutputStream counting(OutputStream sink) {
    return new FilterOutputStream(sink) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        listener.advance(len);
      }

      @Override
      public void write(int b) throws IOException {
        out.write(b);
        listener.advance(1);
      }
    };
  }
}
