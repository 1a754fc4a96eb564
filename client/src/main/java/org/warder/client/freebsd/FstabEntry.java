package org.warder.client.freebsd;

/** One fstab(5) line: what to mount, where, how. */
public record FstabEntry(
    String source, String mountPoint, String type, String options, int dump, int pass) {
  /** The line with tab-separated fields and no newline. */
  public String toLine() {
    return String.join(
        "\t", source, mountPoint, type, options, Integer.toString(dump), Integer.toString(pass));
  }
}
