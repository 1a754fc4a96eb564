package org.warder.signing.tuf;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.warder.signing.Key;
import org.warder.signing.Verifiers;

/**
 * Counts the valid signatures on metadata from the keys a role trusts. Each key counts once,
 * whatever keyids it hides behind; signatures from keys outside the role, and invalid or
 * unsupported signatures, count for nothing and break nothing.
 */
final class SignatureThreshold {
  private SignatureThreshold() {}

  static void verify(
      Metadata<?> metadata, String role, String signedBy, Map<String, Key> keys, RoleKeys roleKeys)
      throws UnsignedMetadataException {
    byte[] message = metadata.signedBytes();
    Set<String> counted = new HashSet<>();
    Set<String> publicValues = new HashSet<>();
    for (Signature signature : metadata.signatures()) {
      if (!roleKeys.keyids().contains(signature.keyid())) {
        continue;
      }
      Key key = keys.get(signature.keyid());
      if (key == null || !Verifiers.verify(key, message, signature.sig())) {
        continue;
      }
      if (counted.add(signature.keyid())) {
        publicValues.add(key.publicValue());
      }
    }
    int valid = Math.min(counted.size(), publicValues.size());
    if (valid < roleKeys.threshold()) {
      throw new UnsignedMetadataException(role, signedBy, roleKeys.threshold(), valid);
    }
  }

  /** Whether {@code keyids} of one role equal another's (a key rotation happened if not). */
  static boolean sameKeys(RoleKeys a, RoleKeys b) {
    return new HashSet<>(a.keyids()).equals(new HashSet<>(b.keyids()))
        && a.threshold() == b.threshold();
  }
}
