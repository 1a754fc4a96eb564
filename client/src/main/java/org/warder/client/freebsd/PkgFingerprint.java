package org.warder.client.freebsd;

import java.util.Locale;

/**
 * One trusted key of a pkg repository, as a plugin manifest's fingerprints entry gives it: the hash
 * function (pkg knows sha256) and the lower-case hex hash of the repository's public key.
 */
public record PkgFingerprint(String function, String fingerprint) {
  public PkgFingerprint {
    if (!"sha256".equals(function) || fingerprint == null || !fingerprint.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "not a normalized sha256 fingerprint: " + function + " " + fingerprint);
    }
  }

  /**
   * A manifest entry, normalized to lower case; anything but sha256 and 64 hex digits is refused.
   */
  public static PkgFingerprint of(String function, String fingerprint)
      throws FreeBsdInputException {
    String f = function == null ? "" : function.trim().toLowerCase(Locale.ROOT);
    String h = fingerprint == null ? "" : fingerprint.trim().toLowerCase(Locale.ROOT);
    if (!f.equals("sha256")) {
      throw new FreeBsdInputException(
          "fingerprint function",
          "fingerprint function: expected sha256 (the only one"
              + " pkg verifies), found '"
              + Args.show(function)
              + "'");
    }
    if (!h.matches("[0-9a-f]{64}")) {
      throw new FreeBsdInputException(
          "fingerprint",
          "fingerprint: expected 64 hex digits (the sha256 of the"
              + " repository's public key), found '"
              + Args.show(fingerprint)
              + "'");
    }
    return new PkgFingerprint(f, h);
  }

  /** The trusted file's content, in the form of FreeBSD's /usr/share/keys/pkg/trusted files. */
  String fileContent() {
    return "function: \"" + function + "\"\nfingerprint: \"" + fingerprint + "\"\n";
  }
}
