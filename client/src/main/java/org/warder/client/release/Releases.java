package org.warder.client.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
import org.warder.client.layout.HostLayout;
import org.warder.client.state.StateFiles;
import org.warder.client.storage.Storage;

/** The releases fetched onto this host: listing and destroying them. Not thread-safe. */
public final class Releases {
  /** FreeBSD release names: 14.2-RELEASE, 15.0-BETA3, 13.4-RELEASE-p2, ... */
  public static final Pattern NAME =
      Pattern.compile(
          "[0-9]{1,2}\\.[0-9]{1,2}-(RELEASE|RC[0-9]|BETA[0-9]|ALPHA[0-9]|STABLE|CURRENT|PRERELEASE)(-p[0-9]{1,3})?");

  private final HostLayout layout;
  private final Storage storage;

  public Releases(HostLayout layout, Storage storage) {
    this.layout = layout;
    this.storage = storage;
  }

  /** Refuses anything that is not a FreeBSD release name (and so could name another path). */
  public static void checkName(String release) throws ClientException {
    if (!NAME.matcher(release).matches()) {
      throw new ClientException(
          Reason.INVALID_INPUT,
          "expected a FreeBSD release name like 14.2-RELEASE, found \"" + release + "\"");
    }
  }

  /** Every fetched release, by name. */
  public List<ReleaseRecord> list() throws IOException {
    Path dir = layout.path(HostLayout.releasesName());
    List<ReleaseRecord> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.sorted().toList()) {
        Path record = p.resolve("release.json");
        if (NAME.matcher(p.getFileName().toString()).matches() && Files.exists(record)) {
          out.add(StateFiles.read(record, ReleaseRecord.class));
        }
      }
    }
    return out;
  }

  /** Destroys a release, refused while a jail or template uses it. */
  public void destroy(String release) throws ClientException, IOException, InterruptedException {
    checkName(release);
    if (!storage.exists(HostLayout.releaseName(release))) {
      throw new ClientException(
          Reason.NOT_FOUND, "release " + release + " is not fetched; see 'warder list -r'");
    }
    List<String> users = users(release);
    if (!users.isEmpty()) {
      throw new ClientException(
          Reason.CONFLICT,
          "release "
              + release
              + " is used by "
              + String.join(", ", users)
              + "; destroy those first");
    }
    storage.destroy(HostLayout.releaseName(release));
  }

  /** Jails and templates whose config.json names {@code release}. */
  private List<String> users(String release) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path dir : List.of(layout.jails(), layout.root().resolve("templates"))) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> entries = Files.list(dir)) {
        for (Path p : entries.sorted().toList()) {
          Path config = p.resolve("config.json");
          if (Files.exists(config)
              && release.equals(
                  StateFiles.mapper().readTree(config.toFile()).path("release").asText())) {
            out.add(p.getFileName().toString());
          }
        }
      }
    }
    return out;
  }
}
