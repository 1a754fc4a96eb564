package org.warder.client.publish;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.warder.client.progress.ProgressListener;
import org.warder.client.progress.Reporter;
import org.warder.index.CatalogException;
import org.warder.index.ReleaseManifest;
import org.warder.signing.Digests;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.FileDigest;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.Targets;
import org.warder.signing.tuf.Updater;

/**
 * Publishes a FreeBSD release distribution (a directory with {@code MANIFEST} and {@code *.txz}) to
 * a registry: every file is checked against MANIFEST before anything is sent, the files are
 * uploaded (resumably), and the next version of the publisher's role is signed locally and
 * submitted. Targets are named {@code releases/<REL>/<ARCH>/<file>}.
 */
public final class ReleasePublisher {
  private static final Pattern RELEASE =
      Pattern.compile(
          "[0-9]{1,2}\\.[0-9]{1,2}-(RELEASE|RC[0-9]|BETA[0-9]|STABLE|CURRENT)(-p[0-9]+)?");
  private static final Pattern ARCH = Pattern.compile("[a-z0-9_]{2,16}");

  private final Clock clock;
  private final Reporter out;

  public ReleasePublisher(Clock clock, Reporter out) {
    this.clock = clock;
    this.out = out;
  }

  /** One distribution file, checked against MANIFEST. */
  record Checked(Path file, ReleaseManifest.Entry entry, FileDigest digest) {
    long length() {
      return digest.length();
    }
  }

  /** Checks {@code dir}: MANIFEST parses, base.txz is there, every .txz is listed and matches. */
  public List<Checked> check(Path dir) throws IOException, CatalogException {
    Path manifestFile = dir.resolve("MANIFEST");
    if (!Files.isRegularFile(manifestFile)) {
      throw new CatalogException("expected a FreeBSD MANIFEST in " + dir + ", found none");
    }
    ReleaseManifest manifest = ReleaseManifest.parse(Files.readAllBytes(manifestFile));
    List<Checked> files = new ArrayList<>();
    try (Stream<Path> listing = Files.list(dir)) {
      for (Path file :
          listing.filter(p -> p.getFileName().toString().endsWith(".txz")).sorted().toList()) {
        String name = file.getFileName().toString();
        ReleaseManifest.Entry entry =
            manifest
                .entry(name)
                .orElseThrow(
                    () ->
                        new CatalogException(
                            name
                                + " is not listed in "
                                + manifestFile
                                + "; refusing to publish a file MANIFEST does not vouch for"));
        // one read for the file's sha256 and the hashes of its chunks, which clients check as
        // the chunks arrive, decoding while they download
        FileDigest digest = FileDigest.of(file);
        if (!digest.sha256().equals(entry.sha256())) {
          throw new CatalogException(
              file
                  + " has sha256 "
                  + digest.sha256()
                  + " but MANIFEST lists "
                  + entry.sha256()
                  + "; the distribution is damaged or was changed, nothing was uploaded");
        }
        files.add(new Checked(file, entry, digest));
      }
    }
    if (files.stream().noneMatch(c -> c.entry().file().equals("base.txz"))) {
      throw new CatalogException("expected base.txz in " + dir + ", found none");
    }
    return files;
  }

  /**
   * What {@link #publish} would do, one line each, after the same checks and a refresh of the
   * registry's metadata: every file it would upload with its size and sha256, and the role version
   * it would sign. Uploads and signs nothing.
   */
  public List<String> describe(String release, String arch, Path dir, String role, Destination to)
      throws IOException, CatalogException, SigningException, RegistryApiException {
    List<String> lines = new ArrayList<>();
    String prefix = "releases/" + release + "/" + arch + "/";
    for (Checked c : checkNames(release, arch, dir)) {
      lines.add(
          DelegatedRoles.uploadLine(
              c.file().toString(),
              prefix + c.file().getFileName(),
              c.length(),
              c.entry().sha256()));
    }
    Path manifestFile = dir.resolve("MANIFEST");
    lines.add(
        DelegatedRoles.uploadLine(
            manifestFile.toString(),
            prefix + "MANIFEST",
            Files.size(manifestFile),
            Digests.sha256Hex(manifestFile)));
    to.updater().refresh();
    lines.add(DelegatedRoles.signLine(role, to.updater().roleMetadata(role)));
    return lines;
  }

  /** The release name and architecture checked, then {@link #check} of {@code dir}. */
  private List<Checked> checkNames(String release, String arch, Path dir)
      throws IOException, CatalogException {
    if (!RELEASE.matcher(release).matches()) {
      throw new CatalogException(
          "expected a FreeBSD release name like 14.2-RELEASE, found \"" + release + "\"");
    }
    if (!ARCH.matcher(arch).matches()) {
      throw new CatalogException(
          "expected an architecture like amd64 or arm64, found \"" + arch + "\"");
    }
    return check(dir);
  }

  /**
   * Publishes release {@code release} for {@code arch} from {@code dir} as role {@code role},
   * signed by {@code signer}. Returns the new role version.
   */
  public long publish(String release, String arch, Path dir, String role, Destination to)
      throws IOException, CatalogException, SigningException, RegistryApiException {
    List<Checked> files = checkNames(release, arch, dir);
    Updater updater = to.updater();
    RegistryClient registry = to.registry();
    out.info("checked " + files.size() + " file(s) against MANIFEST");
    updater.refresh();
    Optional<Metadata<Targets>> current = updater.roleMetadata(role);
    String prefix = "releases/" + release + "/" + arch + "/";
    Map<String, TargetFile> targets = new LinkedHashMap<>();
    current.ifPresent(
        m ->
            m.signed()
                .targets()
                .forEach(
                    (path, t) -> {
                      if (!path.startsWith(prefix)) {
                        targets.put(path, t);
                      }
                    }));
    for (Checked c : files) {
      registry.upload(c.file(), c.entry().sha256(), c.length(), to.progress());
      ObjectNode custom =
          JsonNodeFactory.instance
              .objectNode()
              .put("kind", "freebsd-dist")
              .put("release", release)
              .put("arch", arch)
              .put("set", c.entry().set())
              .put("description", c.entry().description())
              .put("install_by_default", c.entry().installByDefault())
              .put("file_count", c.entry().fileCount());
      String path = prefix + c.entry().file();
      targets.put(path, c.digest().target(path, custom));
    }
    Path manifestFile = dir.resolve("MANIFEST");
    String manifestSha = Digests.sha256Hex(manifestFile);
    long manifestLength = Files.size(manifestFile);
    registry.upload(manifestFile, manifestSha, manifestLength, ProgressListener.NONE);
    targets.put(
        prefix + "MANIFEST",
        new TargetFile(
            prefix + "MANIFEST",
            manifestLength,
            Map.of("sha256", manifestSha),
            Optional.of(
                JsonNodeFactory.instance
                    .objectNode()
                    .put("kind", "freebsd-manifest")
                    .put("release", release)
                    .put("arch", arch))));
    long version =
        DelegatedRoles.submitNextVersion(
            role, current, targets, clock.instant(), to.signer(), registry);
    out.info("published " + release + "/" + arch + " as " + role + " version " + version);
    return version;
  }
}
