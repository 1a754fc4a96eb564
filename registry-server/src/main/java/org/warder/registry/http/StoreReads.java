package org.warder.registry.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.warder.registry.storage.BlobStore;
import org.warder.registry.storage.ReferencedBlobs;
import org.warder.registry.storage.RegistryStore;
import org.warder.registry.storage.StoreKeys;
import org.warder.signing.Digests;

/**
 * Reads of metadata and published targets that do not go to a local file: a redirect to the
 * configured public base URL (a CDN, or the bucket's public endpoint) for immutable targets and
 * versioned metadata, which hold the same keys as the store; else, for a store without local files
 * (S3), the bytes straight from the store, with a strong ETag ({@code If-None-Match} answered with
 * 304) and {@code Range: bytes=N-} for blobs. {@code timestamp.json} is never redirected: it
 * changes and must come from the registry. Everything else is left to {@link ContentFactory}.
 * Thread-safe.
 */
final class StoreReads {
  private static final Pattern OPEN_RANGE = Pattern.compile("bytes=([0-9]{1,18})-");

  private final RegistryStore store;
  private final ReferencedBlobs referenced;
  private final Optional<URI> publicBase;

  StoreReads(RegistryStore store, ReferencedBlobs referenced, Optional<URI> publicBase) {
    this.store = store;
    this.referenced = referenced;
    this.publicBase = publicBase.map(u -> URI.create(u.toString().replaceAll("/+$", "") + "/"));
  }

  /**
   * Answers a GET or HEAD of {@code path} when it is a read this class serves; returns false
   * otherwise (then the request goes on to the local files).
   */
  boolean handle(String path, Request request, Response response, Callback callback)
      throws IOException {
    Optional<String> name = ContentFactory.metadataName(path, referenced);
    Optional<String> sha256 =
        name.isPresent() ? Optional.empty() : ContentFactory.targetSha256(path, referenced);
    Optional<String> key =
        name.isPresent()
            ? Optional.of(StoreKeys.metadata(name.get()))
            : sha256.flatMap(StoreKeys::blob);
    if (key.isEmpty()) {
      return false;
    }
    boolean local = store.localFile(key.get()).isPresent();
    if (publicBase.isPresent() && ContentFactory.isImmutable(path)) {
      if (name.isPresent() && !local && store.metadata(name.get()).isEmpty()) {
        return false; // a root not signed yet: 404 from here, not whatever the CDN says
      }
      response.setStatus(HttpStatus.FOUND_302);
      response
          .getHeaders()
          .put(HttpHeader.LOCATION, publicBase.get().resolve(key.get()).toString());
      // the target does not change, but the public base URL may: cache the redirect briefly
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, max-age=3600");
      response.write(true, ByteBuffer.allocate(0), callback);
      return true;
    }
    if (local) {
      return false;
    }
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, cacheControl(path));
    if (name.isPresent()) {
      Optional<byte[]> bytes = store.metadata(name.get());
      if (bytes.isEmpty()) {
        return false;
      }
      String etag = "\"" + Digests.sha256Hex(bytes.get()) + "\"";
      if (!notModified(request, response, callback, etag, "application/json")) {
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.get().length);
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        response.write(true, ByteBuffer.wrap(head ? new byte[0] : bytes.get()), callback);
      }
      return true;
    }
    return blob(sha256.orElseThrow(), request, response, callback);
  }

  private boolean blob(String sha256, Request request, Response response, Callback callback)
      throws IOException {
    OptionalLong length = new BlobStore(store).size(sha256);
    if (length.isEmpty()) {
      return false;
    }
    if (notModified(
        request, response, callback, "\"" + sha256 + "\"", "application/octet-stream")) {
      return true;
    }
    long total = length.getAsLong();
    long from = 0;
    String range = request.getHeaders().get(HttpHeader.RANGE);
    Matcher m = range == null ? null : OPEN_RANGE.matcher(range);
    if (m != null && m.matches()) {
      from = Long.parseLong(m.group(1));
      if (from >= total && total > 0) {
        response.setStatus(HttpStatus.RANGE_NOT_SATISFIABLE_416);
        response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + total);
        response.write(true, ByteBuffer.allocate(0), callback);
        return true;
      }
      if (from > 0) {
        response.setStatus(HttpStatus.PARTIAL_CONTENT_206);
        response
            .getHeaders()
            .put(HttpHeader.CONTENT_RANGE, "bytes " + from + "-" + (total - 1) + "/" + total);
      }
    }
    response.getHeaders().put(HttpHeader.ACCEPT_RANGES, "bytes");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, total - from);
    if (HttpMethod.HEAD.is(request.getMethod())) {
      response.write(true, ByteBuffer.allocate(0), callback);
      return true;
    }
    try (InputStream in = store.openBlob(sha256, from);
        OutputStream out = Content.Sink.asOutputStream(response)) {
      in.transferTo(out);
    } catch (IOException e) {
      callback.failed(e);
      return true;
    }
    callback.succeeded();
    return true;
  }

  /** What FilesHandler sends for the same path from local files. */
  static String cacheControl(String path) {
    return ContentFactory.isImmutable(path) ? "public, max-age=31536000, immutable" : "no-cache";
  }

  /** Sets type and ETag; answers 304 and returns true when the client has these bytes. */
  private static boolean notModified(
      Request request, Response response, Callback callback, String etag, String type) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.ETAG, etag);
    String ifNoneMatch = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
    if (ifNoneMatch != null && (ifNoneMatch.equals(etag) || ifNoneMatch.equals("*"))) {
      response.setStatus(HttpStatus.NOT_MODIFIED_304);
      response.write(true, ByteBuffer.allocate(0), callback);
      return true;
    }
    return false;
  }
}
