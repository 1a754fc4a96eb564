package org.warder.signing.tuf;

/**
 * Limits of one update, with python-tuf's defaults: at most 256 root rotations per refresh, 32
 * delegated roles visited per target search (besides the top-level targets role), and byte caps per
 * metadata file.
 */
public record UpdaterConfig(
    int maxRootRotations,
    int maxDelegations,
    long rootMaxLength,
    long timestampMaxLength,
    long snapshotMaxLength,
    long targetsMaxLength,
    boolean prefixTargetsWithHash) {

  /** The defaults. */
  public static UpdaterConfig defaults() {
    return new UpdaterConfig(256, 32, 512_000, 16_384, 2_000_000, 5_000_000, true);
  }
}
