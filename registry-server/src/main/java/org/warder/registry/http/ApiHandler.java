package org.warder.registry.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.Scheduler;
import org.warder.registry.api.ErrorCode;
import org.warder.registry.api.RegistryException;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.storage.BlobStore;
import org.warder.registry.storage.TokenStore;
import org.warder.registry.storage.UploadSessions;

/**
 * The publishing API under {@code /api/v1/} (docs/registry-api.md): bearer-token authentication,
 * resumable upload sessions, blob existence checks, and submission of delegated metadata. Every
 * refusal is a {@link RegistryException} answered by {@link ApiResponses#error}. Request bodies are
 * streamed (uploads) or capped (metadata), and read only once the token is valid and an {@link
 * ApiAdmission} place is free; a request still running after the deadline of its {@link
 * RegistryServer.Limits} loses its connection. Thread-safe.
 */
final class ApiHandler extends Handler.Abstract {
  static final String PREFIX = "/api/v1/";
  private static final Pattern UPLOAD = Pattern.compile("/api/v1/uploads/([^/]+)");
  private static final Pattern BLOB = Pattern.compile("/api/v1/blobs/([^/]+)");
  private static final Pattern METADATA = Pattern.compile("/api/v1/metadata/([^/]+)");

  /** Refusals that leave the request body unread (the connection is closed after the answer). */
  private static final Set<ErrorCode> UNREAD =
      EnumSet.of(ErrorCode.UNAUTHORIZED, ErrorCode.BUSY, ErrorCode.TOO_SLOW);

  /** Refused request bodies up to this size are read to their end before the answer. */
  private static final long DISCARD_LIMIT = 8L * 1024 * 1024;

  private static final Pattern CONTENT_RANGE =
      Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\*|\\d{1,18})");

  private final RegistryRepository repository;
  private final UploadSessions uploads;
  private final BlobStore blobs;
  private final TokenStore tokens;
  private final Metrics metrics;
  private final Clock clock;
  private final RegistryServer.Limits limits;
  private final ApiAdmission admission;

  ApiHandler(
      RegistryRepository repository,
      UploadSessions uploads,
      BlobStore blobs,
      TokenStore tokens,
      Metrics metrics,
      Clock clock,
      RegistryServer.Limits limits) {
    super(InvocationType.BLOCKING);
    this.repository = repository;
    this.uploads = uploads;
    this.blobs = blobs;
    this.tokens = tokens;
    this.metrics = metrics;
    this.clock = clock;
    this.limits = limits;
    this.admission = new ApiAdmission(limits.apiRequests(), limits.apiRequestsPerToken());
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Callback done = withDeadline(request, callback);
    try {
      // No byte of the body is read before the token is known good and a place is free, so that
      // an anonymous or surplus request holds no thread while its body trickles in.
      TokenStore.Token token = authenticate(request);
      ApiAdmission.Slot slot = admission.admit(token);
      try {
        route(request, response, done, token);
      } finally {
        slot.close();
      }
    } catch (RegistryException e) {
      refuse(request, response, slowness(e).orElse(e), done);
    } catch (Exception e) {
      Optional<RegistryException> slow = slowness(e);
      if (slow.isPresent()) {
        refuse(request, response, slow.get(), done);
        return true;
      }
      String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      ApiResponses.error(
          response,
          new RegistryException(
              ErrorCode.INTERNAL,
              "the registry failed (" + what + "); the repository is unchanged, retry later",
              Map.of(),
              e),
          done);
    }
    return true;
  }

  /**
   * Closes the connection of a request still running after the API deadline, whatever it waits for
   * (a body trickling in at just the minimum rate, an answer the client does not read).
   */
  private Callback withDeadline(Request request, Callback callback) {
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    Duration deadline = limits.apiDeadline();
    Scheduler.Task task =
        request
            .getComponents()
            .getScheduler()
            .schedule(
                () ->
                    endPoint.close(
                        new TimeoutException(
                            "the API request took longer than its deadline of " + deadline)),
                deadline.toMillis(),
                TimeUnit.MILLISECONDS);
    return Callback.from(callback, () -> task.cancel());
  }

  /**
   * Answers {@code error}. A request refused before its body was read (no valid token, no free
   * place, a body too slow) leaves the body unread and its connection closed after the answer;
   * other refusals read what is left of a small body first.
   */
  private static void refuse(
      Request request, Response response, RegistryException error, Callback callback) {
    if (UNREAD.contains(error.code())) {
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    } else {
      discardBody(request);
    }
    ApiResponses.error(response, error, callback);
  }

  /**
   * {@code e} as a {@code TOO_SLOW} refusal when a timeout caused it: the body came slower than the
   * minimum rate, or paused longer than the idle timeout.
   */
  private Optional<RegistryException> slowness(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException timeout) {
        Map<String, Object> detail = e instanceof RegistryException r ? r.detail() : Map.of();
        String more = e instanceof RegistryException r ? "; " + r.getMessage() : "";
        return Optional.of(
            new RegistryException(
                ErrorCode.TOO_SLOW,
                "the request body came too slowly ("
                    + timeout.getMessage()
                    + "): expected at least "
                    + limits.minApiDataRate()
                    + " bytes per second on average, no pause over "
                    + limits.idleTimeout().toSeconds()
                    + " s, and the whole request within "
                    + limits.apiDeadline().toMinutes()
                    + " minutes"
                    + more,
                detail,
                e));
      }
    }
    return Optional.empty();
  }

  /**
   * Reads and drops what is left of a refused request's body when it is small enough, so that the
   * client, still sending, gets the error answer rather than a connection reset (a larger body is
   * left unread and the connection is closed after the answer).
   */
  private static void discardBody(Request request) {
    long length = request.getLength();
    if (length == 0 || length > DISCARD_LIMIT) {
      return;
    }
    try (InputStream in = Request.asInputStream(request)) {
      in.skipNBytes(Math.min(length < 0 ? DISCARD_LIMIT : length, DISCARD_LIMIT));
    } catch (java.io.IOException e) {
      // the body ended early or the client went away: nothing left to drain
    }
  }

  private void route(Request request, Response response, Callback callback, TokenStore.Token token)
      throws Exception {
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    Matcher upload = UPLOAD.matcher(path);
    Matcher blob = BLOB.matcher(path);
    Matcher metadata = METADATA.matcher(path);
    if (path.equals("/api/v1/uploads")) {
      requireMethod(method, "POST");
      startUpload(response, callback, token);
    } else if (path.equals("/api/v1/token")) {
      requireMethod(method, "GET");
      describeToken(response, callback, token);
    } else if (upload.matches()) {
      String uuid = upload.group(1);
      switch (method) {
        case "HEAD", "GET" -> uploadOffset(request, response, callback, token, uuid);
        case "PATCH" -> appendUpload(request, response, callback, token, uuid);
        case "PUT" -> commitUpload(request, response, callback, token, uuid);
        case "DELETE" -> cancelUpload(response, callback, token, uuid);
        default -> throw notAllowed(method, "HEAD, GET, PATCH, PUT, DELETE");
      }
    } else if (blob.matches()) {
      requireMethod(method, "HEAD");
      blobExists(response, callback, blob.group(1));
    } else if (metadata.matches()) {
      requireMethod(method, "PUT");
      submitMetadata(request, response, callback, token, metadata.group(1));
    } else {
      throw new RegistryException(
          ErrorCode.NOT_FOUND,
          "no API endpoint "
              + method
              + " "
              + path
              + "; expected /api/v1/token, /api/v1/uploads, /api/v1/blobs/<sha256> or"
              + " /api/v1/metadata/<role>",
          Map.of("path", path));
    }
  }

  private static void requireMethod(String method, String allowed) throws RegistryException {
    if (!method.equals(allowed)) {
      throw notAllowed(method, allowed);
    }
  }

  private static RegistryException notAllowed(String method, String allowed) {
    return new RegistryException(
        ErrorCode.METHOD_NOT_ALLOWED,
        "expected " + allowed + " on this path, found " + method,
        Map.of("allowed", allowed));
  }

  /** The token the request carries: 401 without one, or with one unknown or revoked. */
  private TokenStore.Token authenticate(Request request) throws RegistryException, IOException {
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (header == null) {
      throw new RegistryException(
          ErrorCode.UNAUTHORIZED,
          "expected an Authorization: Bearer <token> header, found none; the registry owner creates tokens"
              + " with 'warder-registry token create'");
    }
    if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new RegistryException(
          ErrorCode.UNAUTHORIZED,
          "expected an Authorization header of the form 'Bearer <token>', found another scheme");
    }
    return tokens
        .authenticate(header.substring(7).trim())
        .orElseThrow(
            () ->
                new RegistryException(
                    ErrorCode.UNAUTHORIZED,
                    "the bearer token is unknown or revoked; ask the registry owner for a valid token"));
  }

  /** Uploads need a token that may publish at least one role. */
  private static void requireUploader(TokenStore.Token token) throws RegistryException {
    if (token.roles().isEmpty()) {
      throw new RegistryException(
          ErrorCode.DENIED,
          "token " + token.id() + " may publish no role, so it may not upload either",
          Map.of("token", token.id()));
    }
  }

  private void startUpload(Response response, Callback callback, TokenStore.Token token)
      throws Exception {
    requireUploader(token);
    String uuid = uploads.create(token);
    metrics.uploadStarted();
    response.getHeaders().put(HttpHeader.LOCATION, "/api/v1/uploads/" + uuid);
    response.getHeaders().put(ApiResponses.UPLOAD_OFFSET, 0L);
    ApiResponses.json(response, HttpStatus.CREATED_201, session(uuid, 0), callback);
  }

  private void uploadOffset(
      Request request, Response response, Callback callback, TokenStore.Token token, String uuid)
      throws Exception {
    requireUploader(token);
    long offset = uploads.offset(uuid, token);
    response.getHeaders().put(ApiResponses.UPLOAD_OFFSET, offset);
    if (HttpMethod.HEAD.is(request.getMethod())) {
      response.setStatus(HttpStatus.OK_200);
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      callback.succeeded();
      return;
    }
    ApiResponses.json(response, HttpStatus.OK_200, session(uuid, offset), callback);
  }

  private void appendUpload(
      Request request, Response response, Callback callback, TokenStore.Token token, String uuid)
      throws Exception {
    requireUploader(token);
    String range = request.getHeaders().get(HttpHeader.CONTENT_RANGE);
    Matcher m = range == null ? null : CONTENT_RANGE.matcher(range.trim());
    if (m == null || !m.matches()) {
      throw new RegistryException(
          ErrorCode.RANGE_INVALID,
          "expected a Content-Range: bytes <start>-<end>/* header, found "
              + (range == null ? "none" : "\"" + range + "\""),
          offsetDetail(uuid, token));
    }
    long start = Long.parseLong(m.group(1));
    long end = Long.parseLong(m.group(2));
    if (end < start) {
      throw new RegistryException(
          ErrorCode.RANGE_INVALID,
          "expected a Content-Range end at or after its start, found \"" + range + "\"",
          offsetDetail(uuid, token));
    }
    long length = end - start + 1;
    long declared = request.getLength();
    if (declared >= 0 && declared != length) {
      throw new RegistryException(
          ErrorCode.RANGE_INVALID,
          "expected Content-Length "
              + length
              + " as Content-Range \""
              + range
              + "\" declares, found "
              + declared,
          offsetDetail(uuid, token));
    }
    // The body is not closed here: closing it before its end fails the request's content, and
    // Jetty then closes the connection at once, resetting it under a client still sending, which
    // loses the answer; a refusal reads what is left first (refuse)
    long offset = uploads.append(uuid, token, start, length, Request.asInputStream(request));
    response.getHeaders().put(HttpHeader.LOCATION, "/api/v1/uploads/" + uuid);
    response.getHeaders().put(ApiResponses.UPLOAD_OFFSET, offset);
    ApiResponses.json(response, HttpStatus.ACCEPTED_202, session(uuid, offset), callback);
  }

  private Map<String, Object> offsetDetail(String uuid, TokenStore.Token token)
      throws RegistryException, IOException {
    return Map.of("offset", uploads.offset(uuid, token));
  }

  private void commitUpload(
      Request request, Response response, Callback callback, TokenStore.Token token, String uuid)
      throws Exception {
    requireUploader(token);
    Fields query = Request.extractQueryParameters(request);
    String sha256 = query.getValue("sha256");
    String lengthText = query.getValue("length");
    if (sha256 == null) {
      throw new RegistryException(
          ErrorCode.DIGEST_INVALID,
          "expected the query parameter sha256=<hex> naming the blob, found none");
    }
    long length;
    try {
      length = Long.parseLong(lengthText == null ? "" : lengthText);
    } catch (NumberFormatException e) {
      throw new RegistryException(
          ErrorCode.SIZE_INVALID,
          "expected the query parameter length=<bytes>, found "
              + (lengthText == null ? "none" : "\"" + lengthText + "\""));
    }
    UploadSessions.Committed committed;
    try {
      committed = uploads.commit(uuid, token, sha256.toLowerCase(Locale.ROOT), length);
    } catch (RegistryException e) {
      if (e.code() == ErrorCode.DIGEST_INVALID || e.code() == ErrorCode.SIZE_INVALID) {
        metrics.uploadFailed();
      }
      throw e;
    }
    metrics.uploadCommitted();
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("sha256", committed.sha256());
    body.put("length", committed.length());
    response.getHeaders().put(HttpHeader.LOCATION, "/api/v1/blobs/" + committed.sha256());
    ApiResponses.json(response, HttpStatus.CREATED_201, body, callback);
  }

  private void cancelUpload(
      Response response, Callback callback, TokenStore.Token token, String uuid) throws Exception {
    requireUploader(token);
    uploads.cancel(uuid, token);
    response.setStatus(HttpStatus.NO_CONTENT_204);
    callback.succeeded();
  }

  /**
   * What the request's token may do: its id, publisher and roles (never its secret), so that a
   * publisher checks before it exports or uploads anything.
   */
  private static void describeToken(Response response, Callback callback, TokenStore.Token token) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("id", token.id());
    body.put("publisher", token.publisher());
    token.roles().forEach(body.putArray("roles")::add);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    ApiResponses.json(response, HttpStatus.OK_200, body, callback);
  }

  private void blobExists(Response response, Callback callback, String sha256) throws Exception {
    // a publisher that finds the blob skips its upload and names it next: keep it from gc a while
    OptionalLong size = blobs.touch(sha256, clock.instant());
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    if (size.isEmpty()) {
      response.setStatus(HttpStatus.NOT_FOUND_404);
    } else {
      response.setStatus(HttpStatus.OK_200);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, size.getAsLong());
      response.getHeaders().put(HttpHeader.ETAG, "\"" + sha256 + "\"");
    }
    callback.succeeded();
  }

  private void submitMetadata(
      Request request, Response response, Callback callback, TokenStore.Token token, String role)
      throws Exception {
    if (!token.mayPublish(role)) {
      throw new RegistryException(
          ErrorCode.DENIED,
          "token "
              + token.id()
              + " of "
              + token.publisher()
              + " may publish "
              + token.roles()
              + ", not "
              + role
              + "; ask the registry owner for a token with --role "
              + role,
          Map.of("token", token.id(), "role", role, "roles", token.roles()));
    }
    int max = RegistryRepository.MAX_METADATA_LENGTH;
    if (request.getLength() > max) {
      throw tooLarge(request.getLength(), max);
    }
    byte[] body;
    try (InputStream in = Request.asInputStream(request)) {
      body = in.readNBytes(max + 1);
    }
    if (body.length > max) {
      throw tooLarge(body.length, max);
    }
    RegistryRepository.Published published;
    try {
      published = repository.submit(role, body);
    } catch (RegistryException e) {
      metrics.metadataRefused(e.code());
      throw e;
    }
    metrics.metadataAccepted();
    ObjectNode answer = JsonNodeFactory.instance.objectNode();
    answer.put("role", published.role());
    answer.put("version", published.version());
    answer.put("snapshot", published.snapshot());
    answer.put("timestamp", published.timestamp());
    ApiResponses.json(response, HttpStatus.OK_200, answer, callback);
  }

  private static RegistryException tooLarge(long found, int max) {
    return new RegistryException(
        ErrorCode.TOO_LARGE,
        "expected a metadata file of at most "
            + max
            + " bytes, found "
            + (found > max ? "more" : found + " bytes")
            + "; split the role's targets over delegated roles",
        Map.of("limit", max));
  }

  private static ObjectNode session(String uuid, long offset) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("uuid", uuid);
    body.put("offset", offset);
    return body;
  }
}
