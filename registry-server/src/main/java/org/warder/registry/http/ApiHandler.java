package org.warder.registry.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
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
 * streamed (uploads) or capped (metadata). Thread-safe.
 */
final class ApiHandler extends Handler.Abstract {
  static final String PREFIX = "/api/v1/";
  private static final Pattern UPLOAD = Pattern.compile("/api/v1/uploads/([^/]+)");
  private static final Pattern BLOB = Pattern.compile("/api/v1/blobs/([^/]+)");
  private static final Pattern METADATA = Pattern.compile("/api/v1/metadata/([^/]+)");
  /** Refused request bodies up to this size are read to their end before the answer. */
  private static final long DISCARD_LIMIT = 8L * 1024 * 1024;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\*|\\d{1,18})");

  private final RegistryRepository repository;
  private final UploadSessions uploads;
  private final BlobStore blobs;
  private final TokenStore tokens;
  private final Metrics metrics;
  private final Clock clock;

  ApiHandler(RegistryRepository repository, UploadSessions uploads, BlobStore blobs, TokenStore tokens, Metrics metrics,
      Clock clock) {
    super(InvocationType.BLOCKING);
    this.repository = repository;
    this.uploads = uploads;
    this.blobs = blobs;
    this.tokens = tokens;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    try {
      route(request, response, callback);
    } catch (RegistryException e) {
      discardBody(request);
      ApiResponses.error(response, e, callback);
    } catch (Exception e) {
      String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      ApiResponses.error(
          response,
          new RegistryException(
              ErrorCode.INTERNAL, "the registry failed (" + what + "); the repository is unchanged, retry later",
              Map.of(), e),
          callback);
    }
    return true;
  }

  /**
   * Reads and drops what is left of a refused request's body when it is small enough, so that the
   * client, still sending, gets the error answer rather than a connection reset (a larger body
   * is left unread and the connection is closed after the answer).
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

  private void route(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    Matcher m;
    if (path.equals("/api/v1/uploads")) {
      requireMethod(method, "POST");
      startUpload(request, response, callback);
    } else if ((m = UPLOAD.matcher(path)).matches()) {
      String uuid = m.group(1);
      switch (method) {
        case "HEAD", "GET" -> uploadOffset(request, response, callback, uuid);
        case "PATCH" -> appendUpload(request, response, callback, uuid);
        case "PUT" -> commitUpload(request, response, callback, uuid);
        case "DELETE" -> cancelUpload(request, response, callback, uuid);
        default -> throw notAllowed(method, "HEAD, GET, PATCH, PUT, DELETE");
      }
    } else if ((m = BLOB.matcher(path)).matches()) {
      requireMethod(method, "HEAD");
      blobExists(request, response, callback, m.group(1));
    } else if ((m = METADATA.matcher(path)).matches()) {
      requireMethod(method, "PUT");
      submitMetadata(request, response, callback, m.group(1));
    } else {
      throw new RegistryException(
          ErrorCode.NOT_FOUND,
          "no API endpoint " + method + " " + path + "; expected /api/v1/uploads, /api/v1/blobs/<sha256> or"
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
        ErrorCode.METHOD_NOT_ALLOWED, "expected " + allowed + " on this path, found " + method,
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
          ErrorCode.UNAUTHORIZED, "expected an Authorization header of the form 'Bearer <token>', found another scheme");
    }
    return tokens.authenticate(header.substring(7).trim())
        .orElseThrow(() -> new RegistryException(
            ErrorCode.UNAUTHORIZED,
            "the bearer token is unknown or revoked; ask the registry owner for a valid token"));
  }

  /** Uploads need a token that may publish at least one role. */
  private TokenStore.Token authenticateUploader(Request request) throws RegistryException, IOException {
    TokenStore.Token token = authenticate(request);
    if (token.roles().isEmpty()) {
      throw new RegistryException(
          ErrorCode.DENIED, "token " + token.id() + " may publish no role, so it may not upload either",
          Map.of("token", token.id()));
    }
    return token;
  }

  private void startUpload(Request request, Response response, Callback callback) throws Exception {
    TokenStore.Token token = authenticateUploader(request);
    String uuid = uploads.create(token);
    metrics.uploadStarted();
    response.getHeaders().put(HttpHeader.LOCATION, "/api/v1/uploads/" + uuid);
    response.getHeaders().put(ApiResponses.UPLOAD_OFFSET, 0L);
    ApiResponses.json(response, HttpStatus.CREATED_201, session(uuid, 0), callback);
  }

  private void uploadOffset(Request request, Response response, Callback callback, String uuid) throws Exception {
    TokenStore.Token token = authenticateUploader(request);
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

  private void appendUpload(Request request, Response response, Callback callback, String uuid) throws Exception {
    TokenStore.Token token = authenticateUploader(request);
    String range = request.getHeaders().get(HttpHeader.CONTENT_RANGE);
    Matcher m = range == null ? null : CONTENT_RANGE.matcher(range.trim());
    if (m == null || !m.matches()) {
      throw new RegistryException(
          ErrorCode.RANGE_INVALID,
          "expected a Content-Range: bytes <start>-<end>/* header, found " + (range == null ? "none" : "\"" + range + "\""),
          offsetDetail(uuid, token));
    }
    long start = Long.parseLong(m.group(1));
    long end = Long.parseLong(m.group(2));
    if (end < start) {
      throw new RegistryException(
          ErrorCode.RANGE_INVALID, "expected a Content-Range end at or after its start, found \"" + range + "\"",
          offsetDetail(uuid, token));
    }
    long length = end - start + 1;
    long declared = request.getLength();
    if (declared >= 0 && declared != length) {
      throw new RegistryException(
          ErrorCode.RANGE_INVALID,
          "expected Content-Length " + length + " as Content-Range \"" + range + "\" declares, found " + declared,
          offsetDetail(uuid, token));
    }
    long offset;
    try (InputStream body = Request.asInputStream(request)) {
      offset = uploads.append(uuid, token, start, length, body);
    }
    response.getHeaders().put(HttpHeader.LOCATION, "/api/v1/uploads/" + uuid);
    response.getHeaders().put(ApiResponses.UPLOAD_OFFSET, offset);
    ApiResponses.json(response, HttpStatus.ACCEPTED_202, session(uuid, offset), callback);
  }

  private Map<String, Object> offsetDetail(String uuid, TokenStore.Token token) throws RegistryException, IOException {
    return Map.of("offset", uploads.offset(uuid, token));
  }

  private void commitUpload(Request request, Response response, Callback callback, String uuid) throws Exception {
    TokenStore.Token token = authenticateUploader(request);
    Fields query = Request.extractQueryParameters(request);
    String sha256 = query.getValue("sha256");
    String lengthText = query.getValue("length");
    if (sha256 == null) {
      throw new RegistryException(
          ErrorCode.DIGEST_INVALID, "expected the query parameter sha256=<hex> naming the blob, found none");
    }
    long length;
    try {
      length = Long.parseLong(lengthText == null ? "" : lengthText);
    } catch (NumberFormatException e) {
      throw new RegistryException(
          ErrorCode.SIZE_INVALID,
          "expected the query parameter length=<bytes>, found " + (lengthText == null ? "none" : "\"" + lengthText + "\""));
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

  private void cancelUpload(Request request, Response response, Callback callback, String uuid) throws Exception {
    TokenStore.Token token = authenticateUploader(request);
    uploads.cancel(uuid, token);
    response.setStatus(HttpStatus.NO_CONTENT_204);
    callback.succeeded();
  }

  private void blobExists(Request request, Response response, Callback callback, String sha256) throws Exception {
    authenticate(request);
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

  private void submitMetadata(Request request, Response response, Callback callback, String role) throws Exception {
    TokenStore.Token token = authenticate(request);
    if (!token.mayPublish(role)) {
      throw new RegistryException(
          ErrorCode.DENIED,
          "token " + token.id() + " of " + token.publisher() + " may publish " + token.roles() + ", not " + role
              + "; ask the registry owner for a token with --role " + role,
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
        "expected a metadata file of at most " + max + " bytes, found " + (found > max ? "more" : found + " bytes")
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
