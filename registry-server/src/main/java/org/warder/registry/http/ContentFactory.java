package org.warder.registry.http;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.http.content.ResourceHttpContent;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.warder.registry.storage.ReferencedBlobs;
import org.warder.registry.storage.RegistryStore;
import org.warder.registry.storage.StoreKeys;

/**
 * Maps request paths to the local files of the {@link RegistryStore} they serve (when it keeps
 * local files; else {@link StoreReads} serves them): {@code /metadata/<file>} to a metadata file
 * that committed metadata names, and {@code /targets/<path>/<sha256>.<name>} to the
 * content-addressed blob of that hash when committed metadata lists a target with it ({@link
 * ReferencedBlobs}: a blob uploaded but never published, or refused, is not served), its strong
 * ETag the hash itself and its bytes sent through {@link FileRegions}, zero-copy. Anything else, or
 * any name that could leave those directories, maps to nothing. Thread-safe.
 */
final class ContentFactory implements HttpContent.Factory {
  private static final Pattern METADATA_NAME = Pattern.compile("[A-Za-z0-9._~%-]{1,255}\\.json");
  private static final Pattern TARGET_NAME = Pattern.compile("([0-9a-f]{64})\\.[^/]+");

  private final RegistryStore store;
  private final ResourceFactory resources;
  private final ReferencedBlobs referenced;

  ContentFactory(RegistryStore store, ResourceFactory resources, ReferencedBlobs referenced) {
    this.store = store;
    this.resources = resources;
    this.referenced = referenced;
  }

  @Override
  public HttpContent getContent(String path) throws IOException {
    Optional<HttpContent> metadata = metadata(path);
    return metadata.isPresent() ? metadata.get() : target(path).orElse(null);
  }

  /** Whether a content-addressed URL: never changes, cacheable forever. */
  static boolean isImmutable(String path) {
    return path.startsWith("/targets/")
        || (path.startsWith("/metadata/") && !path.endsWith("/timestamp.json"));
  }

  /**
   * The metadata file name a request path asks for, when it is one that may be served: a file the
   * committed metadata names ({@link ReferencedBlobs#names}), never one a failed change left.
   */
  static Optional<String> metadataName(String path, ReferencedBlobs referenced) throws IOException {
    if (!path.startsWith("/metadata/")) {
      return Optional.empty();
    }
    String name = path.substring("/metadata/".length());
    if (!METADATA_NAME.matcher(name).matches() || name.startsWith(".") || !referenced.names(name)) {
      return Optional.empty();
    }
    return Optional.of(name);
  }

  /** The sha256 of the blob a target path asks for, when committed metadata lists it. */
  static Optional<String> targetSha256(String path, ReferencedBlobs referenced) throws IOException {
    if (!path.startsWith("/targets/")) {
      return Optional.empty();
    }
    String name = path.substring(path.lastIndexOf('/') + 1);
    var m = TARGET_NAME.matcher(name);
    if (!m.matches() || !referenced.contains(m.group(1))) {
      return Optional.empty();
    }
    return Optional.of(m.group(1));
  }

  private Optional<HttpContent> metadata(String path) throws IOException {
    return metadataName(path, referenced)
        .flatMap(name -> store.localFile(StoreKeys.metadata(name)))
        .map(file -> new ResourceHttpContent(resources.newResource(file), "application/json"));
  }

  private Optional<HttpContent> target(String path) throws IOException {
    Optional<String> found = targetSha256(path, referenced);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    String sha256 = found.get();
    return StoreKeys.blob(sha256)
        .flatMap(store::localFile)
        .map(
            file -> {
              HttpContent content =
                  new ResourceHttpContent(resources.newResource(file), "application/octet-stream");
              HttpField etag = new HttpField(HttpHeader.ETAG, "\"" + sha256 + "\"");
              return new HttpContent.Wrapper(content) {
                @Override
                public HttpField getETag() {
                  return etag;
                }

                @Override
                public String getETagValue() {
                  return etag.getValue();
                }

                @Override
                public void writeTo(
                    Content.Sink sink, long offset, long length, Callback callback) {
                  FileRegions.write(file, sink, offset, length, callback);
                }
              };
            });
  }
}
