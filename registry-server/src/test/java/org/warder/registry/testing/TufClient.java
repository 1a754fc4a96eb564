package org.warder.registry.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.warder.signing.tuf.MetadataDirectory;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.TargetNotFoundException;
import org.warder.signing.tuf.TufException;
import org.warder.signing.tuf.Updater;
import org.warder.signing.tuf.UpdaterConfig;
import org.warder.signing.tuf.Urls;

/**
 * The real TUF client (signing's {@link Updater}) over HTTP, with its trusted metadata in a
 * directory.
 */
public final class TufClient {
  private final Path dir;
  private final URI base;
  private final JdkHttpFetcher fetcher = new JdkHttpFetcher();

  /** A client trusting {@code root} (the bytes of 1.root.json) for the registry at {@code base}. */
  public TufClient(Path dir, URI base, byte[] root) throws IOException {
    this.dir = dir;
    this.base = base;
    Files.createDirectories(dir.resolve("metadata"));
    Path trusted = dir.resolve("metadata").resolve("root.json");
    if (!Files.exists(trusted)) {
      Files.write(trusted, root);
    }
  }

  /** The same trusted state, talking to another URL (a restarted server). */
  public TufClient at(URI other) throws IOException {
    return new TufClient(dir, other, null);
  }

  public URI base() {
    return base;
  }

  private Updater updater() {
    return new Updater(
        new MetadataDirectory(dir.resolve("metadata")),
        List.of(base.resolve("metadata/")),
        fetcher,
        Clock.systemUTC(),
        UpdaterConfig.defaults());
  }

  public Updater.RefreshResult refresh() throws IOException, TufException {
    return updater().refresh();
  }

  /**
   * The signed description of {@code path}, after a refresh; empty when no trusted role lists it.
   */
  public Optional<TargetFile> find(String path) throws IOException, TufException {
    Updater u = updater();
    u.refresh();
    try {
      return Optional.of(u.targetInfo(path));
    } catch (TargetNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Which of {@code candidates} are visible now, each with the bytes downloaded and verified. */
  public Map<String, byte[]> visible(Iterable<String> candidates) throws IOException, TufException {
    Updater u = updater();
    u.refresh();
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (String path : candidates) {
      TargetFile target;
      try {
        target = u.targetInfo(path);
      } catch (TargetNotFoundException e) {
        continue;
      }
      Path file = dir.resolve("targets").resolve(Urls.quote(path));
      u.download(target, List.of(base.resolve("targets/")), file);
      out.put(path, Files.readAllBytes(file));
    }
    return out;
  }

  /** The version of a trusted role's metadata, as stored by the client. */
  public long trustedVersion(String role) throws Exception {
    byte[] bytes = Files.readAllBytes(dir.resolve("metadata").resolve(Urls.quote(role) + ".json"));
    return org.warder.signing.StrictJson.parseObject(bytes).get("signed").get("version").asLong();
  }
}
