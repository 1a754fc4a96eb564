package org.warder.registry.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.warder.registry.storage.RegistryLayout;
import org.warder.registry.storage.RegistryStore;

/**
 * Maps request paths to the files they serve: {@code /metadata/<file>} to the metadata directory,
 * and {@code /targets/<path>/<sha256>.<name>} to the content-addressed blob of that hash when
 * committed metadata lists a target with it ({@link ReferencedBlobs}: a blob uploaded but never
 * published, or refused, is not served), its strong ETag the hash itself and its bytes sent through
 * {@link FileRegions}, zero-copy. Anything else, or any name that could leave those directories,
 * maps to nothing. Thread-safe.
 */
final class ContentFactory implements HttpContent.Factory {
  private static final Pattern METADATA_NAME = Pattern.compile("[A-Za-z0-9._~%-]{1,255}\\.json");
  private static final Pattern TARGET_NAME = Pattern.compile("([0-9a-f]{64})\\.[^/]+");

  private final RegistryLayout layout;
  private final RegistryStore store;
  private final ResourceFactory resources;
  private final ReferencedBlobs referenced;

  ContentFactory(
      RegistryLayout layout,
      RegistryStore store,
      ResourceFactory resources,
      ReferencedBlobs referenced) {
    this.layout = layout;
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

  private Optional<HttpContent> metadata(String path) {
    if (!path.startsWith("/metadata/")) {
      return Optional.empty();
    }
    String name = path.substring("/metadata/".length());
    if (!METADATA_NAME.matcher(name).matches() || name.startsWith(".")) {
      return Optional.empty();
    }
    Path file = layout.metadata().resolve(name);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(new ResourceHttpContent(resources.newResource(file), "application/json"));
  }

  private Optional<HttpContent> target(String path) throws IOException {
    if (!path.startsWith("/targets/")) {
      return Optional.empty();
    }
    String name = path.substring(path.lastIndexOf('/') + 1);
    var m = TARGET_NAME.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    String sha256 = m.group(1);
    if (!referenced.contains(sha256)) {
      return Optional.empty();
    }
    return store
        .localBlob(sha256)
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
