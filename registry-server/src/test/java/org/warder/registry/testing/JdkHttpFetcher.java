package org.warder.registry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.warder.signing.tuf.FetchStatusException;
import org.warder.signing.tuf.FetchTooLargeException;
import org.warder.signing.tuf.Fetcher;

/**
 * A minimal {@link Fetcher} on the JDK's HTTP client, for tests (the OkHttp one lives in the
 * client).
 */
public final class JdkHttpFetcher implements Fetcher {
  private final HttpClient client =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  @Override
  public void fetch(URI url, long maxLength, OutputStream sink) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    try (InputStream in = response.body()) {
      if (response.statusCode() / 100 != 2) {
        throw new FetchStatusException(url, response.statusCode());
      }
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        total += n;
        if (total > maxLength) {
          throw new FetchTooLargeException(url, maxLength);
        }
        sink.write(buffer, 0, n);
      }
    }
  }
}
