package org.warder.client.release;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
import org.warder.client.exec.CommandRunner;
import org.warder.client.host.HostOs;
import org.warder.client.layout.HostLayout;
import org.warder.client.plan.Plan;
import org.warder.client.progress.ProgressListener;
import org.warder.client.progress.Reporter;
import org.warder.client.storage.Storage;
import org.warder.index.CatalogException;
import org.warder.index.ReleaseManifest;
import org.warder.signing.Digests;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.Fetcher;
import org.warder.signing.tuf.TargetNotFoundException;
import org.warder.signing.tuf.Updater;

/**
 * Fetches a FreeBSD release onto the host as a {@link Plan}: every distribution file verified
 * (against signed TUF targets, or against a FreeBSD MANIFEST from a plain mirror) into {@code
 * <root>/download/<REL>/}, then extracted into a staging dataset or directory that becomes {@code
 * <root>/releases/<REL>} only when everything succeeded. The plan is built from the verified
 * metadata before anything is written, so {@code --dry-run} prints exactly what a fetch does; a
 * failure undoes the steps done and leaves no release and no download of this run behind. Not
 * thread-safe.
 */
public final class ReleaseFetcher {
  private final HostLayout layout;
  private final Storage storage;
  private final CommandRunner runner;
  private final HostOs os;
  private final Clock clock;
  private final Reporter reporter;
  private final ProgressListener progress;

  public ReleaseFetcher(
      HostLayout layout,
      Storage storage,
      CommandRunner runner,
      HostOs os,
      Clock clock,
      Reporter reporter,
      ProgressListener progress) {
    this.layout = layout;
    this.storage = storage;
    this.runner = runner;
    this.os = os;
    this.clock = clock;
    this.reporter = reporter;
    this.progress = progress;
  }

  /** Fetches {@code release} from a registry: {@link #planFromRegistry}, run. */
  public void fromRegistry(
      String release,
      String arch,
      List<String> files,
      String repoName,
      Updater updater,
      List<URI> targetMirrors,
      boolean update)
      throws ClientException, IOException, SigningException, InterruptedException {
    run(planFromRegistry(release, arch, files, repoName, updater, targetMirrors, update));
  }

  /** Fetches {@code release} from a plain mirror: {@link #planFromMirror}, run. */
  public void fromMirror(
      String release,
      String arch,
      List<String> files,
      URI mirror,
      Optional<String> manifestSha256,
      Fetcher fetcher,
      boolean update)
      throws ClientException, IOException, InterruptedException {
    run(planFromMirror(release, arch, files, mirror, manifestSha256, fetcher, update));
  }

  /** Runs a fetch plan; on failure the completed steps are undone. */
  public void run(Plan plan) throws ClientException, InterruptedException {
    plan.run(reporter, false, List::of);
  }

  /**
   * Plans fetching {@code release} for {@code arch} from a registry: files are signed targets
   * {@code releases/<REL>/<ARCH>/<file>}; {@code files} empty means base.txz plus lib32.txz where
   * published. Refreshes the repository's signed metadata (as {@code warder repo refresh} does) and
   * writes nothing else.
   */
  public Plan planFromRegistry(
      String release,
      String arch,
      List<String> files,
      String repoName,
      Updater updater,
      List<URI> targetMirrors,
      boolean update)
      throws ClientException, IOException, SigningException, InterruptedException {
    Releases.checkName(release);
    for (String file : files) {
      checkFileName(file);
    }
    refuseExisting(release);
    updater.refresh();
    String prefix = "releases/" + release + "/" + arch + "/";
    List<DistributionFile> downloads = new ArrayList<>();
    List<String> wanted = files.isEmpty() ? List.of("base.txz", "lib32.txz") : files;
    for (String file : wanted) {
      checkFileName(file);
      try {
        downloads.add(
            new SignedFile(file, updater.targetInfo(prefix + file), updater, targetMirrors));
      } catch (TargetNotFoundException e) {
        if (!files.isEmpty() || file.equals("base.txz")) {
          throw notPublished(release, arch, file, repoName, updater, e);
        }
      }
    }
    return plan(release, arch, "repo " + repoName, downloads, Optional.empty(), update);
  }

  /**
   * The refusal of {@code file} of {@code release} for {@code arch}, which {@code repoName} does
   * not sign: names what it publishes instead (the files of that release and architecture, or the
   * releases and architectures), so that the user can pick one.
   */
  private ClientException notPublished(
      String release,
      String arch,
      String file,
      String repoName,
      Updater updater,
      TargetNotFoundException cause)
      throws IOException, SigningException {
    List<PublishedReleases.Published> published = new PublishedReleases(updater, reporter).list();
    Optional<PublishedReleases.Published> same =
        published.stream()
            .filter(p -> p.release().equals(release) && p.arch().equals(arch))
            .findFirst();
    String found;
    if (same.isPresent()) {
      found = "it has only " + String.join(", ", same.get().fileNames());
    } else if (published.isEmpty()) {
      found = "the repository publishes no release at all";
    } else {
      Map<String, List<String>> arches = new LinkedHashMap<>();
      published.forEach(
          p -> arches.computeIfAbsent(p.release(), r -> new ArrayList<>()).add(p.arch()));
      List<String> listed = new ArrayList<>();
      arches.forEach((r, a) -> listed.add(r + " (" + String.join(", ", a) + ")"));
      found = "it publishes " + String.join(", ", listed);
    }
    return new ClientException(
        Reason.NOT_FOUND,
        "expected a signed "
            + file
            + " of release "
            + release
            + " for "
            + arch
            + " in "
            + repoName
            + ", found none: "
            + found
            + "; 'warder list -r --repo "
            + repoName
            + "' lists the published releases with their sizes (--arch picks another architecture)",
        cause);
  }

  /**
   * Plans fetching {@code release} from a plain FreeBSD mirror (download.freebsd.org layout: {@code
   * <mirror>/<ARCH>/<REL>/MANIFEST}), each file to be checked against MANIFEST. Unless {@code
   * manifestSha256} pins the MANIFEST, says clearly that it is not authenticated. Reads the
   * MANIFEST and writes nothing.
   */
  public Plan planFromMirror(
      String release,
      String arch,
      List<String> files,
      URI mirror,
      Optional<String> manifestSha256,
      Fetcher fetcher,
      boolean update)
      throws ClientException, IOException, InterruptedException {
    Releases.checkName(release);
    for (String file : files) {
      checkFileName(file);
    }
    refuseExisting(release);
    String base = mirror.toString().endsWith("/") ? mirror.toString() : mirror + "/";
    URI dir = URI.create(base + arch + "/" + release + "/");
    byte[] manifestBytes = fetcher.fetchBytes(dir.resolve("MANIFEST"), ReleaseManifest.MAX_BYTES);
    String manifestHash = Digests.sha256Hex(manifestBytes);
    if (manifestSha256.isPresent()) {
      if (!manifestHash.equalsIgnoreCase(manifestSha256.get())) {
        throw new ClientException(
            Reason.REFUSED,
            "MANIFEST from "
                + dir
                + " has sha256 "
                + manifestHash
                + ", expected the pinned "
                + manifestSha256.get()
                + "; the mirror serves something else, nothing was extracted");
      }
      reporter.info("MANIFEST matches the pinned sha256 " + manifestHash);
    } else {
      reporter.info(
          "WARNING: the MANIFEST from "
              + dir
              + " is NOT authenticated (sha256 "
              + manifestHash
              + "):");
      reporter.info(
          "  files are checked against it, but whoever controls the mirror or the network controls it.");
      reporter.info("  Pin it with --manifest-sha256 HEX, or fetch from a signed registry.");
    }
    ReleaseManifest manifest;
    try {
      manifest = ReleaseManifest.parse(manifestBytes);
    } catch (CatalogException e) {
      throw new ClientException(
          Reason.INVALID_INPUT, "MANIFEST from " + dir + " is malformed: " + e.getMessage(), e);
    }
    List<String> wanted =
        files.isEmpty()
            ? manifest.entry("lib32.txz").isPresent()
                ? List.of("base.txz", "lib32.txz")
                : List.of("base.txz")
            : files;
    List<DistributionFile> downloads = new ArrayList<>();
    for (String file : wanted) {
      checkFileName(file);
      ReleaseManifest.Entry entry =
          manifest
              .entry(file)
              .orElseThrow(
                  () ->
                      new ClientException(
                          Reason.NOT_FOUND,
                          file
                              + " is not listed in the MANIFEST of "
                              + dir
                              + "; refusing to use it"));
      downloads.add(new MirrorFile(entry, dir.resolve(file), fetcher));
    }
    return plan(release, arch, "mirror " + mirror, downloads, Optional.of(manifestBytes), update);
  }

  private Plan plan(
      String release,
      String arch,
      String source,
      List<DistributionFile> files,
      Optional<byte[]> manifest,
      boolean update) {
    String staging = HostLayout.stagingName(release);
    DownloadStep download = new DownloadStep(layout.download(release), files, manifest, progress);
    return new Plan(
        List.of(
            download,
            new ExtractStep(staging, layout.releaseRoot(release), download, storage, runner, os),
            new UpdateStep(release, storage.path(staging + "/root"), update, os, runner),
            new PromoteStep(release, arch, source, staging, download, storage, clock)));
  }

  private void refuseExisting(String release)
      throws ClientException, IOException, InterruptedException {
    if (storage.exists(HostLayout.releaseName(release))) {
      throw new ClientException(
          Reason.CONFLICT,
          "release "
              + release
              + " is already fetched; destroy it first with 'warder destroy -r "
              + release
              + "' to fetch it again");
    }
  }

  private static void checkFileName(String file) throws ClientException {
    if (!file.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\.txz")) {
      throw new ClientException(
          Reason.INVALID_INPUT,
          "expected a distribution file name like base.txz, found \"" + file + "\"");
    }
  }
}
