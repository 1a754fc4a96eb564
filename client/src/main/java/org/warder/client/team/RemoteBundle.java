package org.warder.client.team;

import java.time.Instant;
import java.util.Objects;
import org.warder.signing.tuf.TargetFile;

/**
 * A bundle a team published, as its verified role metadata signs it: what it is, when it was
 * published, and the signed target (path, length, sha256) to download it by.
 */
public record RemoteBundle(BundleSpec spec, Instant published, TargetFile target) {
  public RemoteBundle {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(published, "published");
    if (target.sha256().isEmpty()) {
      throw new IllegalArgumentException("target " + target.path() + " has no sha256");
    }
  }

  /**
   * The target path, {@code templates/TEAM/NAME/TAG.bundle} or {@code jails/TEAM/NAME/TAG.bundle}.
   */
  public String path() {
    return target.path();
  }

  /** The signed length in bytes. */
  public long length() {
    return target.length();
  }

  /** The signed sha256, lower-case hex. */
  public String sha256() {
    return target.sha256().orElseThrow();
  }
}
