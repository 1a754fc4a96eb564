package org.warder.client.publish;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.Targets;
import org.warder.signing.tuf.TufException;

/**
 * Renews a delegated role before it expires: its next version lists exactly the targets (and
 * delegations) the registry serves for it now, with a new expiry, signed with the publisher's key
 * and submitted; the registry then signs a new snapshot and timestamp as for any publication. The
 * registry cannot do it itself: only the publisher holds the role's key. Stateless.
 */
public final class RoleRenewal {
  /** Longest validity a renewal may give: a role valid longer leaves a lost key usable longer. */
  public static final Duration MAX_VALIDITY = Duration.ofDays(365);

  private RoleRenewal() {}

  /** What a renewal submitted. */
  public record Renewed(String role, long version, Instant expires, int targets) {}

  /**
   * Submits the next version of {@code role}, unchanged but valid for {@code validity} from {@code
   * now}. Refuses ({@link Reason#NOT_FOUND}) a role the registry serves no metadata for.
   */
  public static Renewed renew(String role, Duration validity, Destination to, Instant now)
      throws ClientException, IOException, SigningException, RegistryApiException {
    if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
      throw new ClientException(
          Reason.INVALID_INPUT,
          "expected a validity from 1 day to "
              + MAX_VALIDITY.toDays()
              + " days for "
              + role
              + ", found "
              + validity.toDays()
              + " days");
    }
    Optional<Metadata<Targets>> current;
    try {
      to.updater().refresh();
      current = to.updater().roleMetadata(role);
    } catch (TufException e) {
      throw new ClientException(
          Reason.REFUSED,
          "cannot renew "
              + role
              + ": the registry's signed metadata did not verify: "
              + e.getMessage()
              + "; nothing was signed",
          e);
    }
    if (current.isEmpty()) {
      throw new ClientException(
          Reason.NOT_FOUND,
          "expected published metadata of role "
              + role
              + " to renew, found none (never published); publish to it instead; nothing was"
              + " signed");
    }
    Instant expires = now.plus(validity);
    long version =
        DelegatedRoles.submitNextVersionExpiring(
            role, current, current.get().signed().targets(), expires, to.signer(), to.registry());
    return new Renewed(role, version, expires, current.get().signed().targets().size());
  }
}
