package org.warder.signing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Hash helpers over byte arrays: lower-case hex digests of the algorithms TUF names. */
public final class Digests {
  private Digests() {}

  /** Lower-case hex sha256 of {@code data}. */
  public static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(newDigest("sha256").digest(data));
  }

  /** Lower-case hex sha256 of a file's content, read in chunks. */
  public static String sha256Hex(java.nio.file.Path file) throws java.io.IOException {
    MessageDigest digest = newDigest("sha256");
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
      byte[] buffer = new byte[256 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * A fresh {@link MessageDigest} for a TUF hash algorithm name ({@code sha256}, {@code sha384},
   * {@code sha512}).
   *
   * @throws IllegalArgumentException for any other name; use {@link #isSupported} first
   */
  public static MessageDigest newDigest(String tufName) {
    String jca =
        switch (tufName.toLowerCase(Locale.ROOT)) {
          case "sha256" -> "SHA-256";
          case "sha384" -> "SHA-384";
          case "sha512" -> "SHA-512";
          default -> throw new IllegalArgumentException("unsupported hash algorithm " + tufName);
        };
    try {
      return MessageDigest.getInstance(jca);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + jca, e);
    }
  }

  /** Whether {@link #newDigest} accepts {@code tufName}. */
  public static boolean isSupported(String tufName) {
    return tufName.equals("sha256") || tufName.equals("sha384") || tufName.equals("sha512");
  }
}
