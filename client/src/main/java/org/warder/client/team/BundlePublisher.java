package org.warder.client.team;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.warder.client.publish.DelegatedRoles;
import org.warder.client.publish.Destination;
import org.warder.client.publish.RegistryApiException;
import org.warder.index.BundleManifest.Format;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.FileDigest;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.Targets;

/**
 * Publishes one template or jail bundle, already written by the caller, as team {@code T} in a new
 * version of the role {@code team-T} (naming in {@link TeamTargets}): the bundle is uploaded
 * (resumably), added to the role's targets with the hashes of its chunks signed ({@link
 * FileDigest}, so that a pull imports it while it downloads) and every other target kept, and the
 * role's next version is signed here and submitted. Published tags never change: the same bytes
 * again are a no-op, other bytes under a published tag are refused. An incremental bundle needs its
 * base tag published, in the same format. Not thread-safe.
 */
public final class BundlePublisher {
  private final Clock clock;

  public BundlePublisher(Clock clock) {
    this.clock = clock;
  }

  /** What a publication did. */
  public enum Outcome {
    /** The bundle was uploaded and a new role version submitted. */
    PUBLISHED,
    /** The same bytes were already published under the tag: nothing was sent. */
    UNCHANGED
  }

  /**
   * The outcome of one publication.
   *
   * @param path the bundle's target path
   * @param length its length in bytes
   * @param sha256 its sha256, lower-case hex
   * @param roleVersion the version submitted, or when unchanged the published one
   */
  public record Publication(
      Outcome outcome, String path, long length, String sha256, long roleVersion) {}

  /** Publishes {@code bundleFile} as {@code spec}, signed by {@code to.signer()}. */
  public Publication publish(BundleSpec spec, Path bundleFile, Destination to)
      throws IOException, SigningException, RegistryApiException, TeamBundleException {
    TeamTargets.check(spec);
    String role = TeamTargets.role(spec.team());
    to.updater().refresh();
    if (!to.updater().delegatedRoleNames().contains(role)) {
      String keyFile = spec.team() + ".pub.json";
      String command =
          DelegatedRoles.delegateCommand(role, keyFile, TeamTargets.delegatedPaths(spec.team()));
      throw new TeamNotDelegatedException(
          "expected the registry to delegate role "
              + role
              + " (team "
              + spec.team()
              + "'s templates and jails), found no such delegation; ask its administrator to run: "
              + command
              + " ("
              + keyFile
              + ": the public key file of your signing key, keyid "
              + to.signer().keyId()
              + ")",
          command);
    }
    Optional<Metadata<Targets>> current = to.updater().roleMetadata(role);
    Map<String, TargetFile> targets = new LinkedHashMap<>();
    current.ifPresent(m -> targets.putAll(m.signed().targets()));
    String path = TeamTargets.path(spec.kind(), spec.team(), spec.name(), spec.tag());
    // one read for the sha256 and the chunk hashes, with which a pull imports while it downloads
    FileDigest digest = FileDigest.of(bundleFile);
    String sha256 = digest.sha256();
    long length = digest.length();
    TargetFile published = targets.get(path);
    if (published != null) {
      if (published.length() == length && published.sha256().filter(sha256::equals).isPresent()) {
        return new Publication(
            Outcome.UNCHANGED, path, length, sha256, current.orElseThrow().signed().version());
      }
      throw new TagAlreadyPublishedException(
          "expected tag "
              + spec.tag()
              + " of "
              + spec.kind().noun()
              + " "
              + spec.team()
              + "/"
              + spec.name()
              + " to be new or to hold the same bytes, found it published as "
              + path
              + " with sha256 "
              + published.sha256().orElse("none")
              + " ("
              + published.length()
              + " bytes) while "
              + bundleFile
              + " has sha256 "
              + sha256
              + " ("
              + length
              + " bytes); published tags never change, publish it"
              + " with another --tag");
    }
    if (spec.incremental()) {
      checkBase(spec, targets);
    }
    to.registry().upload(bundleFile, sha256, length, to.progress());
    Instant now = clock.instant();
    targets.put(path, digest.target(path, TeamTargets.custom(spec, now)));
    long version =
        DelegatedRoles.submitNextVersion(role, current, targets, now, to.signer(), to.registry());
    return new Publication(Outcome.PUBLISHED, path, length, sha256, version);
  }

  /**
   * Refuses an incremental bundle whose base tag is not published, or published in another format.
   */
  private static void checkBase(BundleSpec spec, Map<String, TargetFile> targets)
      throws TeamBundleException {
    String baseTag = spec.baseTag().orElseThrow();
    TargetFile target =
        targets.get(TeamTargets.path(spec.kind(), spec.team(), spec.name(), baseTag));
    if (target == null) {
      throw new BaseBundleNotFoundException(
          "expected tag "
              + baseTag
              + " of "
              + spec.kind().noun()
              + " "
              + spec.team()
              + "/"
              + spec.name()
              + " to be published, as the base of incremental bundle "
              + spec.reference()
              + ", found no such tag; publish a full bundle, or the base tag first");
    }
    Format baseFormat = TeamTargets.read(target, spec.team()).spec().format();
    if (baseFormat != spec.format()) {
      throw new IncompatibleBaseException(
          "expected the base tag "
              + baseTag
              + " of incremental bundle "
              + spec.reference()
              + " in format "
              + spec.format().label()
              + ", found it published in format "
              + baseFormat.label()
              + "; publish a full bundle");
    }
  }
}
