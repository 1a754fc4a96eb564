package org.warder.client.fetch;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Call;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;
import org.warder.signing.tuf.FetchStatusException;
import org.warder.signing.tuf.FetchTooLargeException;
import org.warder.signing.tuf.Fetcher;
import org.warder.signing.tuf.RetrySchedule;

/**
 * The HTTP adapter of the {@link Fetcher} port, on OkHttp: connect, read and whole-call timeouts,
 * {@code Accept-Encoding: identity} so that byte caps count what the server sent, a hard cap that
 * stops reading at {@code maxLength + 1} bytes whatever {@code Content-Length} says, and retries
 * with exponential backoff, for up to the retry deadline ({@link RetryDeadline}), after connection
 * failures and 5xx/429/408 answers (a retry asks for the rest, from what already reached the sink).
 * A request that fails on a pooled connection before any answer came (a server that closes each
 * connection after one answer without saying {@code Connection: close}, as HTTP/1.0 servers and
 * some proxies do) is sent again at once on a new connection: that is the connection's failure, not
 * the server's. Thread-safe.
 */
public final class OkHttpFetcher implements Fetcher {
  private static final int BUFFER = 64 * 1024;

  /**
   * For {@code http://}: no TLS, whose set-up (trust store, socket factory) costs a third of a
   * second.
   */
  private final OkHttpClient plain;

  /** For {@code https://}: built on first use, sharing the plain client's pool and dispatcher. */
  private volatile @Nullable OkHttpClient tls;

  private final HttpSettings settings;
  private final String userAgent;

  public OkHttpFetcher(HttpSettings settings, String userAgent) {
    this.settings = settings;
    this.userAgent = userAgent;
    // No redirect changes the scheme (followSslRedirects off), so each client sees one scheme.
    this.plain =
        new OkHttpClient.Builder()
            .connectTimeout(settings.connectTimeout())
            .readTimeout(settings.readTimeout())
            .writeTimeout(settings.readTimeout())
            .retryOnConnectionFailure(false)
            .eventListenerFactory(ConnectionUse.LISTENER)
            .followRedirects(true)
            .followSslRedirects(false)
            .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
            .build();
  }

  private OkHttpClient clientFor(URI url) {
    if (!"https".equalsIgnoreCase(url.getScheme())) {
      return plain;
    }
    OkHttpClient c = tls;
    if (c == null) {
      synchronized (this) {
        if (tls == null) {
          tls =
              plain
                  .newBuilder()
                  .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT))
                  .build();
        }
        c = tls;
      }
    }
    return c;
  }

  @Override
  public void fetch(URI url, long maxLength, OutputStream sink) throws IOException {
    fetchFrom(url, 0, maxLength, sink);
  }

  /** Asks for {@code Range: bytes=<offset>-}; a server that ignores it is handled too. */
  @Override
  public void fetchFrom(URI url, long offset, long maxLength, OutputStream sink)
      throws IOException {
    fetchFrom(url, offset, maxLength, sink, retries());
  }

  @Override
  public void fetchOnce(URI url, long offset, long maxLength, OutputStream sink)
      throws IOException {
    fetchFrom(url, offset, maxLength, sink, RetrySchedule.NONE);
  }

  /** The retry deadline of the settings, from now. */
  @Override
  public RetrySchedule retries() {
    return RetryDeadline.start(settings);
  }

  private void fetchFrom(
      URI url, long offset, long maxLength, OutputStream sink, RetrySchedule retries)
      throws IOException {
    CountingSink counting = new CountingSink(sink);
    while (true) {
      ConnectionUse use = new ConnectionUse();
      try {
        try {
          fetchOnce(url, offset + counting.count, maxLength, counting, use);
        } catch (IOException e) {
          if (!use.staleConnection()) {
            throw e;
          }
          // the server had closed the pooled connection: the same request on a new one, at once
          fetchOnce(url, offset + counting.count, maxLength, counting, new ConnectionUse());
        }
        return;
      } catch (FetchStatusException e) {
        if (!isTransient(e.status())) {
          throw e;
        }
        retries.pause(e);
      } catch (FetchTooLargeException | SSLHandshakeException | SSLPeerUnverifiedException e) {
        throw e; // asking again gets the same bytes, the same certificate
      } catch (IOException e) {
        if (e == counting.refused) {
          throw e; // the caller's sink refused the bytes (a chunk that failed): no retry helps
        }
        // the next attempt asks for the rest, from what already reached the sink
        retries.pause(e);
      }
    }
  }

  private void fetchOnce(URI url, long offset, long maxLength, CountingSink sink, ConnectionUse use)
      throws IOException {
    Request.Builder builder =
        new Request.Builder()
            .url(url.toString())
            .header("Accept-Encoding", "identity")
            .header("User-Agent", userAgent)
            .tag(ConnectionUse.class, use)
            .get();
    if (offset > 0) {
      builder.header("Range", "bytes=" + offset + "-");
    }
    Request request = builder.build();
    Call call = clientFor(url).newCall(request);
    call.timeout().timeout(settings.callTimeout(maxLength).toMillis(), TimeUnit.MILLISECONDS);
    try (Response response = call.execute()) {
      if (offset > 0 && response.code() == 416) {
        return; // nothing left to send: the caller's length and hash checks decide
      }
      if (!response.isSuccessful()) {
        throw new FetchStatusException(url, response.code());
      }
      ResponseBody body = response.body();
      BufferedSource source = body.source();
      long total = offset;
      if (offset > 0 && response.code() != 206) {
        source.skip(offset); // the server ignored the range: drop what we already have
      } else if (offset > 0
          && !String.valueOf(response.header("Content-Range"))
              .startsWith("bytes " + offset + "-")) {
        throw new java.net.ProtocolException(
            "GET "
                + url
                + " answered Content-Range "
                + response.header("Content-Range")
                + " for bytes "
                + offset
                + "-");
      }
      byte[] buffer = new byte[BUFFER];
      for (int n; (n = source.read(buffer)) > 0; ) {
        if (total + n > maxLength) {
          sink.write(buffer, 0, (int) (maxLength - total));
          throw new FetchTooLargeException(url, maxLength);
        }
        sink.write(buffer, 0, n);
        total += n;
      }
    } catch (InterruptedIOException e) {
      throw new InterruptedIOException(
          "GET "
              + url
              + " did not complete in time ("
              + e.getMessage()
              + "); the server is too slow"
              + " or stalled");
    }
  }

  private static boolean isTransient(int status) {
    return status >= 500 || status == 429 || status == 408;
  }

  /** Counts bytes passed to the caller's sink, and keeps what the sink threw. */
  private static final class CountingSink extends OutputStream {
    private final OutputStream out;
    long count;
    @Nullable IOException refused;

    CountingSink(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        refused = e;
        throw e;
      }
      count += len;
    }
  }
}
