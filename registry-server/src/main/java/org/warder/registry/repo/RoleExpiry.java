package org.warder.registry.repo;

import java.time.Duration;
import java.time.Instant;
import org.warder.signing.tuf.Signed;

/**
 * When the current metadata of a role expires: clients refuse it (and all a targets role delegates)
 * from then on, until someone re-signs it.
 *
 * @param role the role's name: a top-level role or a delegated one
 * @param version the version of its current metadata
 * @param expires when that version expires
 */
public record RoleExpiry(String role, long version, Instant expires) {
  static RoleExpiry of(String role, Signed signed) {
    return new RoleExpiry(role, signed.version(), signed.expires());
  }

  /** How long from {@code now} until it expires; negative once expired. */
  public Duration left(Instant now) {
    return Duration.between(now, expires);
  }

  /** Whether clients refuse it at {@code now}. */
  public boolean expired(Instant now) {
    return !now.isBefore(expires);
  }

  /** Who re-signs the role before it expires, and with which command. */
  public String renewal() {
    return switch (role) {
      case "timestamp", "snapshot" -> "the server re-signs it while it runs";
      case "targets" -> "the owner, with the offline targets key: warder-registry renew-targets";
      case "root" -> "no command re-signs root yet: it expires a year after 'init'";
      default -> "its publisher, with the role's key: warder publish renew " + role;
    };
  }
}
