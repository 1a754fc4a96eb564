package org.warder.client.release;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.warder.client.progress.Reporter;
import org.warder.signing.tuf.FetchStatusException;
import org.warder.signing.tuf.FetchTooLargeException;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.RoleType;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.TargetNotFoundException;
import org.warder.signing.tuf.Targets;
import org.warder.signing.tuf.TufException;
import org.warder.signing.tuf.Updater;

/**
 * The releases a registry publishes, read only from its verified TUF metadata: every target {@code
 * releases/<REL>/<ARCH>/<file>} signed by the top-level targets role or a delegated role, kept only
 * when the delegation search for its path finds exactly it (so a role cannot list a release file it
 * is not trusted for). A role whose metadata cannot be verified is reported as a warning and left
 * out. Not thread-safe.
 */
public final class PublishedReleases {
  private static final Pattern PATH = Pattern.compile("releases/([^/]+)/([^/]+)/([^/]+)");

  /**
   * One release for one architecture as published.
   *
   * @param files its signed targets, by file name
   */
  public record Published(String release, String arch, List<TargetFile> files) {
    public Published {
      files = List.copyOf(files);
    }

    /** The signed length of all its files together, in bytes. */
    public long size() {
      return files.stream().mapToLong(TargetFile::length).sum();
    }

    /** The file names, e.g. {@code base.txz}. */
    public List<String> fileNames() {
      return files.stream().map(f -> f.path().substring(f.path().lastIndexOf('/') + 1)).toList();
    }
  }

  private final Updater updater;
  private final Reporter warnings;

  /**
   * @param updater the repository's TUF updater
   * @param warnings where a role left out is reported, one line each
   */
  public PublishedReleases(Updater updater, Reporter warnings) {
    this.updater = updater;
    this.warnings = warnings;
  }

  /** Every published release and architecture, sorted by release then architecture. */
  public List<Published> list() throws IOException, TufException {
    updater.refresh();
    Map<String, Map<String, TargetFile>> found = new TreeMap<>();
    List<String> roles = new ArrayList<>(List.of(RoleType.TARGETS.value()));
    roles.addAll(updater.delegatedRoleNames());
    for (String role : roles) {
      Optional<Metadata<Targets>> metadata;
      try {
        metadata = updater.roleMetadata(role);
      } catch (TufException | FetchStatusException | FetchTooLargeException e) {
        warnings.warning("left out the releases of role " + role + ": " + e.getMessage());
        continue;
      }
      if (metadata.isEmpty()) {
        continue; // delegated but never published
      }
      for (TargetFile target : metadata.get().signed().targets().values()) {
        Matcher m = PATH.matcher(target.path());
        if (m.matches() && trusted(target)) {
          found
              .computeIfAbsent(m.group(1) + "\t" + m.group(2), k -> new TreeMap<>())
              .put(m.group(3), target);
        }
      }
    }
    List<Published> all = new ArrayList<>();
    found.forEach(
        (key, files) -> {
          String[] releaseArch = key.split("\t", 2);
          all.add(new Published(releaseArch[0], releaseArch[1], List.copyOf(files.values())));
        });
    return List.copyOf(all);
  }

  /** Whether the delegation search for {@code target}'s path finds exactly {@code target}. */
  private boolean trusted(TargetFile target) throws IOException, TufException {
    try {
      return updater.targetInfo(target.path()).equals(target);
    } catch (TargetNotFoundException e) {
      return false;
    }
  }
}
