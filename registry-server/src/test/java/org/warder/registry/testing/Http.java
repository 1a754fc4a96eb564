package org.warder.registry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.warder.signing.StrictJson;

/** Plain HTTP calls against a registry with the JDK client, for tests. Thread-safe. */
public final class Http {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  public Http(URI base) {
    this.base = base;
  }

  public URI base() {
    return base;
  }

  /** Sends {@code method path} with {@code body} (null: none) and header name/value pairs. */
  public HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers)
      throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** The JSON body of a response. */
  public static JsonNode json(HttpResponse<byte[]> response) {
    try {
      return StrictJson.parse(response.body());
    } catch (Exception e) {
      throw new UncheckedIOException(
          new IOException(
              "expected a JSON body, found "
                  + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8),
              e));
    }
  }

  /** The code of the first error of an error response. */
  public static String errorCode(HttpResponse<byte[]> response) {
    return json(response).path("errors").path(0).path("code").asText();
  }

  /** The message of the first error of an error response. */
  public static String errorMessage(HttpResponse<byte[]> response) {
    return json(response).path("errors").path(0).path("message").asText();
  }
}
