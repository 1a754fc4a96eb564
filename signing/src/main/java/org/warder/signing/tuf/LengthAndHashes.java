package org.warder.signing.tuf;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.warder.signing.Digests;

/**
 * Checks of downloaded bytes against signed lengths and hashes. Every listed algorithm must be one
 * warder knows and must match: an unknown algorithm could hide a weak one.
 */
public final class LengthAndHashes {
  private LengthAndHashes() {}

  /** Fresh digests for every algorithm in {@code hashes}, to feed while streaming. */
  public static Map<String, MessageDigest> digests(String what, Map<String, String> hashes)
      throws UnsupportedHashException {
    if (hashes.isEmpty()) {
      throw new UnsupportedHashException(what, "no hashes are signed");
    }
    Map<String, MessageDigest> out = new LinkedHashMap<>();
    for (String algorithm : hashes.keySet()) {
      if (!Digests.isSupported(algorithm)) {
        throw new UnsupportedHashException(
            what, "the signed hash algorithm \"" + algorithm + "\" is unknown");
      }
      out.put(algorithm, Digests.newDigest(algorithm));
    }
    return out;
  }

  /** Compares finished digests with the signed hashes. */
  public static void check(
      String what, Map<String, MessageDigest> digests, Map<String, String> hashes)
      throws DigestMismatchException {
    for (Map.Entry<String, MessageDigest> e : digests.entrySet()) {
      String found = HexFormat.of().formatHex(e.getValue().digest());
      String expected = hashes.get(e.getKey()).toLowerCase(Locale.ROOT);
      if (!found.equals(expected)) {
        throw new DigestMismatchException(what, e.getKey(), expected, found);
      }
    }
  }

  /** Checks a length (when signed) and the hashes (when signed) of {@code data}. */
  public static void verify(
      String what, byte[] data, OptionalLong length, Map<String, String> hashes)
      throws TufException {
    checkLength(what, length, data.length);
    if (!hashes.isEmpty()) {
      Map<String, MessageDigest> digests = digests(what, hashes);
      digests.values().forEach(d -> d.update(data));
      check(what, digests, hashes);
    }
  }

  /** Checks that {@code found} bytes is the signed length, when one is signed. */
  public static void checkLength(String what, OptionalLong length, long found)
      throws DigestMismatchException {
    if (length.isPresent() && length.getAsLong() != found) {
      throw new DigestMismatchException(
          what, "length", length.getAsLong() + " bytes", found + " bytes");
    }
  }
}
