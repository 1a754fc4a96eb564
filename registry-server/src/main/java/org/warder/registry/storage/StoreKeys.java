package org.warder.registry.storage;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The keys of a {@link RegistryStore}'s objects, relative to the store: the same paths as under a
 * data directory, so that a public base URL, a bucket and a data directory hold the same tree.
 */
public final class StoreKeys {
  public static final String BLOBS = "blobs/sha256/";
  public static final String METADATA = "repository/metadata/";
  public static final String TIMESTAMP = "timestamp.json";
  public static final String PARTS = "upload-parts/";
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private StoreKeys() {}

  /** The key of blob {@code sha256}, when it is 64 hex digits (either case). */
  public static Optional<String> blob(String sha256) {
    String hex = sha256.toLowerCase(Locale.ROOT);
    if (!SHA256.matcher(hex).matches()) {
      return Optional.empty();
    }
    return Optional.of(BLOBS + hex.substring(0, 2) + "/" + hex);
  }

  /** The sha256 a blob key names, when {@code key} is one. */
  public static Optional<String> sha256OfBlob(String key) {
    if (!key.startsWith(BLOBS)) {
      return Optional.empty();
    }
    String hex = key.substring(key.lastIndexOf('/') + 1);
    return blob(hex).filter(key::equals).map(k -> hex);
  }

  /**
   * The key of a part of upload session {@code uuid} starting at byte {@code start}; {@code nonce}
   * tells apart two requests racing to write the same range.
   */
  public static String part(String uuid, long start, String nonce) {
    return PARTS + uuid + "/" + String.format(Locale.ROOT, "%019d", start) + "-" + nonce;
  }

  public static String metadata(String name) {
    return METADATA + name;
  }
}
