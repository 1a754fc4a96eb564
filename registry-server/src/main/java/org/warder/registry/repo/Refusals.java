package org.warder.registry.repo;

import java.util.Map;
import org.warder.registry.api.ErrorCode;
import org.warder.registry.api.RegistryException;
import org.warder.signing.tuf.ExpiredMetadataException;
import org.warder.signing.tuf.PathNotDelegatedException;
import org.warder.signing.tuf.RoleNotDelegatedException;
import org.warder.signing.tuf.TufException;
import org.warder.signing.tuf.UnsignedMetadataException;
import org.warder.signing.tuf.VersionNotIncreasedException;

/** Translates the signing module's verdicts on submitted metadata into API error codes. */
final class Refusals {
  private Refusals() {}

  static RegistryException of(String role, TufException e) {
    if (e instanceof RoleNotDelegatedException) {
      return new RegistryException(ErrorCode.ROLE_UNKNOWN, e.getMessage(), Map.of("role", role), e);
    }
    if (e instanceof UnsignedMetadataException u) {
      return new RegistryException(
          ErrorCode.SIGNATURE_INVALID,
          e.getMessage()
              .replace(
                  "refusing it and keeping the trusted metadata",
                  "sign it with the key(s) delegated to " + role),
          Map.of("role", role, "threshold", u.threshold(), "valid", u.validSignatures()),
          e);
    }
    if (e instanceof PathNotDelegatedException p) {
      return new RegistryException(
          ErrorCode.PATH_NOT_DELEGATED,
          e.getMessage(),
          Map.of(
              "role",
              role,
              "path",
              p.path(),
              "delegatedRole",
              p.delegatedRole(),
              "patterns",
              p.patterns()),
          e);
    }
    if (e instanceof VersionNotIncreasedException v) {
      return new RegistryException(
          ErrorCode.VERSION_NOT_INCREASED,
          e.getMessage(),
          Map.of("role", role, "current", v.currentVersion(), "found", v.foundVersion()),
          e);
    }
    if (e instanceof ExpiredMetadataException x) {
      return new RegistryException(
          ErrorCode.EXPIRED,
          e.getMessage(),
          Map.of("role", role, "expires", x.expires().toString()),
          e);
    }
    return new RegistryException(
        ErrorCode.METADATA_INVALID,
        "expected valid TUF targets metadata for " + role + ": " + e.getMessage(),
        Map.of("role", role),
        e);
  }
}
