package org.warder.client.publish;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.warder.signing.Signer;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.Signed;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.Targets;

/**
 * What every publisher does with its delegated role: sign and submit the role's next version, and
 * tell the registry's administrator how to delegate the role when it is missing. Thread-safe.
 */
public final class DelegatedRoles {
  /** How long a published role version stays valid. */
  public static final Duration VALIDITY = Duration.ofDays(90);

  private DelegatedRoles() {}

  /** The version after {@code current}: N+1, or 1 when the role was never published. */
  public static long nextVersion(Optional<Metadata<Targets>> current) {
    return current.map(m -> m.signed().version() + 1).orElse(1L);
  }

  /**
   * Signs version N+1 of {@code role} ({@code current} is version N; version 1 when never
   * published) listing exactly {@code targets}, keeping the role's own delegations, valid for
   * {@link #VALIDITY} from {@code now}, and submits it. Returns the submitted version.
   */
  public static long submitNextVersion(
      String role,
      Optional<Metadata<Targets>> current,
      Map<String, TargetFile> targets,
      Instant now,
      Signer signer,
      RegistryClient registry)
      throws IOException, SigningException, RegistryApiException {
    return submitNextVersionExpiring(role, current, targets, now.plus(VALIDITY), signer, registry);
  }

  /**
   * {@link #submitNextVersion}, the new version expiring at {@code expires}: a renewal chooses it.
   */
  public static long submitNextVersionExpiring(
      String role,
      Optional<Metadata<Targets>> current,
      Map<String, TargetFile> targets,
      Instant expires,
      Signer signer,
      RegistryClient registry)
      throws IOException, SigningException, RegistryApiException {
    long version = nextVersion(current);
    Targets next =
        new Targets(
            Signed.SPEC_VERSION,
            version,
            expires,
            targets,
            current.flatMap(m -> m.signed().delegations()));
    registry.submitMetadata(role, Metadata.of(next).signedBy(List.of(signer)).toBytes());
    return version;
  }

  /** A dry run's line for uploading {@code what} as target {@code path}. */
  public static String uploadLine(String what, String path, long length, String sha256) {
    return "upload: " + what + " as " + path + ", " + length + " bytes, sha256 " + sha256;
  }

  /** A dry run's line for signing {@code role}'s next version after {@code current}. */
  public static String signLine(String role, Optional<Metadata<Targets>> current) {
    return "sign: role " + role + " version " + nextVersion(current) + ", listing these files";
  }

  /** The command a publisher runs to renew {@code role} in repository {@code repo}. */
  public static String renewCommand(String role, String repo) {
    return "warder publish renew " + role + " --repo " + repo;
  }

  /** The command the registry's administrator runs to delegate {@code paths} to {@code role}. */
  public static String delegateCommand(String role, String publicKeyFile, List<String> paths) {
    return "warder-registry delegate "
        + role
        + " --key "
        + publicKeyFile
        + " --paths '"
        + String.join("' --paths '", paths)
        + "'";
  }
}
