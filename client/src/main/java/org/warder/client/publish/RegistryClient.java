package org.warder.client.publish;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.warder.client.fetch.HttpSettings;
import org.warder.client.fetch.RetryDeadline;
import org.warder.client.progress.ProgressListener;
import org.warder.client.progress.Reporter;
import org.warder.signing.StrictJson;

/**
 * The publishing side of a registry (docs/registry-api.md): resumable blob uploads and submission
 * of signed delegated metadata, authenticated with a bearer token. Uploads stream from disk in
 * chunks; a chunk that fails (a cut connection, a registry restarting) is resumed from the offset
 * the registry reports, with pauses that double, for up to the retry deadline of its {@link
 * HttpSettings} without progress. Requests that change nothing are retried the same way; the others
 * only when the registry refused the connection or answered 503 (nothing was done). An upload that
 * fails for good cancels its session, so that the registry frees its bytes. Thread-safe.
 */
public final class RegistryClient {
  private static final long CHUNK = 16L * 1024 * 1024;
  private static final MediaType OCTETS = MediaType.get("application/octet-stream");
  private static final MediaType JSON = MediaType.get("application/json");

  private final URI base;
  private final String token;
  private final HttpSettings settings;
  private final Reporter reporter;
  private final OkHttpClient http;

  /** A client of the registry at {@code base} with the default settings, reporting nothing. */
  public RegistryClient(URI base, String token) {
    this(base, token, HttpSettings.defaults(), Reporter.silent());
  }

  /**
   * A client of the registry at {@code base} that retries as {@code settings} say and reports an
   * upload session it could not cancel to {@code reporter}.
   */
  public RegistryClient(URI base, String token, HttpSettings settings, Reporter reporter) {
    this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
    this.token = token;
    this.settings = settings;
    this.reporter = reporter;
    this.http =
        new OkHttpClient.Builder()
            .connectTimeout(settings.connectTimeout())
            .readTimeout(Duration.ofMinutes(2))
            .writeTimeout(Duration.ofMinutes(2))
            .retryOnConnectionFailure(false)
            .build();
  }

  /** Whether the registry already holds a blob with this sha256 (its upload can be skipped). */
  public boolean hasBlob(String sha256) throws IOException, RegistryApiException {
    return retried(
        true,
        () -> {
          try (Response r = call(request("api/v1/blobs/" + sha256).head())) {
            if (r.code() == 404) {
              return false;
            }
            check(r);
            return true;
          }
        });
  }

  /**
   * Uploads {@code file} (whose sha256 and length the caller computed) unless the registry has it,
   * resuming failed chunks, and commits it; cancels the session when that fails.
   */
  public void upload(Path file, String sha256, long length, ProgressListener progress)
      throws IOException, RegistryApiException {
    if (hasBlob(sha256)) {
      return;
    }
    String location =
        retried(
            false,
            () -> {
              try (Response r =
                  call(request("api/v1/uploads").post(RequestBody.create(new byte[0], OCTETS)))) {
                check(r);
                return Optional.ofNullable(r.header("Location"))
                    .orElseThrow(
                        () -> new IOException("registry created an upload without a Location"));
              }
            });
    URI session = base.resolve(location);
    try {
      send(session, file, length, progress);
      commit(session, sha256, length);
    } catch (IOException | RegistryApiException | RuntimeException e) {
      cancel(session, e);
      throw e;
    }
  }

  /**
   * Sends the bytes of {@code file} in chunks, resuming from the registry's offset after a failure.
   */
  private void send(URI session, Path file, long length, ProgressListener progress)
      throws IOException, RegistryApiException {
    long offset = 0;
    RetryDeadline retries = RetryDeadline.start(settings);
    progress.begin("upload " + file.getFileName(), length);
    try {
      while (offset < length) {
        long size = Math.min(CHUNK, length - offset);
        try {
          patch(session, file, offset, size, progress);
          offset += size;
          retries = RetryDeadline.start(settings); // the deadline bounds a time without progress
        } catch (IOException e) {
          offset = resume(session, retries, e);
        } catch (RegistryApiException e) {
          if (!isTransient(e, true)) {
            throw e;
          }
          offset = resume(session, retries, e);
        }
      }
    } finally {
      progress.end();
    }
  }

  /**
   * The offset to continue session {@code session} from after {@code failure}: asked after a pause,
   * and asked again after each failure to answer, until the deadline of {@code retries}.
   */
  private long resume(URI session, RetryDeadline retries, Exception failure)
      throws IOException, RegistryApiException {
    Exception last = failure;
    while (true) {
      retries.pause(last);
      try {
        return currentOffset(session);
      } catch (IOException e) {
        last = e;
      } catch (RegistryApiException e) {
        if (!isTransient(e, true)) {
          throw e;
        }
        last = e;
      }
    }
  }

  private void commit(URI session, String sha256, long length)
      throws IOException, RegistryApiException {
    String commit =
        session
            + (session.toString().contains("?") ? "&" : "?")
            + "sha256="
            + sha256
            + "&length="
            + length;
    retried(
        false,
        () -> {
          try (Response r =
              call(
                  new Request.Builder()
                      .url(commit)
                      .header("Authorization", "Bearer " + token)
                      .put(RequestBody.create(new byte[0], OCTETS)))) {
            check(r);
            return true;
          }
        });
  }

  /**
   * Cancels {@code session} after {@code failure}, so that the registry frees its bytes at once;
   * when that fails too, says so (the registry purges it once untouched for a day).
   */
  private void cancel(URI session, Exception failure) {
    try (Response r =
        call(
            new Request.Builder()
                .url(session.toString())
                .header("Authorization", "Bearer " + token)
                .delete())) {
      if (r.code() != 404) { // 404: already gone, as after a refused commit
        check(r);
      }
    } catch (IOException | RegistryApiException e) {
      failure.addSuppressed(e);
      reporter.warning(
          "could not cancel upload session "
              + session
              + " ("
              + e.getMessage()
              + "); the registry keeps its bytes until it purges sessions untouched for a day");
    }
  }

  private void patch(URI session, Path file, long offset, long size, ProgressListener progress)
      throws IOException, RegistryApiException {
    RequestBody body =
        new RequestBody() {
          @Override
          public MediaType contentType() {
            return OCTETS;
          }

          @Override
          public long contentLength() {
            return size;
          }

          @Override
          public void writeTo(BufferedSink sink) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
              in.skipNBytes(offset);
              byte[] buffer = new byte[256 * 1024];
              long left = size;
              while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                  throw new IOException(file + " shrank while it was uploaded");
                }
                sink.write(buffer, 0, n);
                progress.advance(n);
                left -= n;
              }
            }
          }
        };
    Request.Builder req =
        new Request.Builder()
            .url(session.toString())
            .header("Authorization", "Bearer " + token)
            .header("Content-Range", "bytes " + offset + "-" + (offset + size - 1) + "/*")
            .patch(body);
    try (Response r = call(req)) {
      check(r);
    }
  }

  private long currentOffset(URI session) throws IOException, RegistryApiException {
    try (Response r =
        call(
            new Request.Builder()
                .url(session.toString())
                .header("Authorization", "Bearer " + token)
                .head())) {
      check(r);
      String offset = r.header("Upload-Offset");
      if (offset == null) {
        throw new IOException("registry did not report the upload offset of " + session);
      }
      return Long.parseLong(offset);
    }
  }

  /**
   * What this client's token may publish: its id, publisher and roles ({@code GET /api/v1/token}).
   */
  public TokenGrant token() throws IOException, RegistryApiException {
    return retried(
        true,
        () -> {
          try (Response r = call(request("api/v1/token").get())) {
            check(r);
            JsonNode body = StrictJson.mapper().readTree(r.body().bytes());
            List<String> roles = new ArrayList<>();
            body.path("roles").forEach(role -> roles.add(role.asText()));
            return new TokenGrant(
                body.path("id").asText(), body.path("publisher").asText(), List.copyOf(roles));
          }
        });
  }

  /** What a token may publish, as the registry answers it. */
  public record TokenGrant(String id, String publisher, List<String> roles) {
    public TokenGrant {
      roles = List.copyOf(roles);
    }
  }

  /** Submits signed metadata of {@code role}; returns the registry's answer. */
  public JsonNode submitMetadata(String role, byte[] metadata)
      throws IOException, RegistryApiException {
    return retried(
        false,
        () -> {
          try (Response r =
              call(request("api/v1/metadata/" + role).put(RequestBody.create(metadata, JSON)))) {
            check(r);
            return StrictJson.mapper().readTree(r.body().bytes());
          }
        });
  }

  /** One request to the registry, answered or refused. */
  @FunctionalInterface
  private interface Exchange<T> {
    T run() throws IOException, RegistryApiException;
  }

  /**
   * {@code exchange}, retried until the deadline after a failure that may be retried: for a request
   * that changes nothing ({@code idempotent}) any failure to get an answer and a 502, 503 or 504;
   * for the others a refused connection or a 503 (the registry did nothing).
   */
  private <T> T retried(boolean idempotent, Exchange<T> exchange)
      throws IOException, RegistryApiException {
    RetryDeadline retries = RetryDeadline.start(settings);
    while (true) {
      try {
        return exchange.run();
      } catch (IOException e) {
        if (!(idempotent || e instanceof ConnectException)) {
          throw e;
        }
        retries.pause(e);
      } catch (RegistryApiException e) {
        if (!isTransient(e, idempotent)) {
          throw e;
        }
        retries.pause(e);
      }
    }
  }

  /** Whether an answer with {@code e}'s status is worth asking again. */
  private static boolean isTransient(RegistryApiException e, boolean idempotent) {
    return e.status() == 503 || (idempotent && (e.status() == 502 || e.status() == 504));
  }

  private Request.Builder request(String path) {
    return new Request.Builder()
        .url(base.resolve(path).toString())
        .header("Authorization", "Bearer " + token);
  }

  private Response call(Request.Builder request) throws IOException {
    return http.newCall(request.build()).execute();
  }

  /** Turns an error answer into a {@link RegistryApiException} with the registry's code. */
  private static void check(Response r) throws IOException, RegistryApiException {
    if (r.isSuccessful()) {
      return;
    }
    // HEAD answers carry no body: name the usual conditions from the status alone
    String code =
        switch (r.code()) {
          case 401 -> "UNAUTHORIZED";
          case 403 -> "DENIED";
          default -> "HTTP_" + r.code();
        };
    String message =
        switch (r.code()) {
          case 401 ->
              "the registry does not know this token (unknown or revoked); ask its administrator for one";
          case 403 -> "this token may not publish here";
          default -> r.message();
        };
    try {
      JsonNode error = StrictJson.mapper().readTree(r.body().bytes()).path("errors").path(0);
      if (error.has("code")) {
        code = error.get("code").asText();
        message = error.path("message").asText(message);
      }
    } catch (IOException e) {
      // not a JSON error body: keep the status line
    }
    throw new RegistryApiException(r.code(), code, message);
  }
}
