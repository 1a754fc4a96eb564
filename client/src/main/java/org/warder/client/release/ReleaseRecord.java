package org.warder.client.release;

import java.time.Instant;
import java.util.List;

/**
 * What {@code <root>/releases/<REL>/release.json} says about a fetched release: where it came from
 * and which verified files it was built from.
 */
public record ReleaseRecord(
    String release, String arch, String source, List<FileRecord> files, Instant fetched) {
  public ReleaseRecord {
    files = List.copyOf(files);
  }

  /** One distribution file: its name, length and sha256. */
  public record FileRecord(String name, long length, String sha256) {}
}
