package org.warder.client.jail;

import java.util.List;

/**
 * What {@code warder create} asks for: the jail name, where it comes from (a release, a
 * template, or nothing), how its root is made, and {@code key=value} properties.
 *
 * @param source {@code releases/<REL>}, {@code templates/<T>}, or empty for an empty jail
 */
public record CreateRequest(String name, java.util.Optional<String> source, Mode mode, List<String> properties) {
  public CreateRequest {
    properties = List.copyOf(properties);
  }

  /** How the jail's root is made from its source. */
  public enum Mode {
    /** A ZFS clone of the source (a copy with plain directories). */
    THIN,
    /** An independent full copy. */
    THICK,
    /** A copy whose system directories are read-only mounts of the source (the book's Chapter 6). */
    BASE,
    /** An empty root. */
    EMPTY
  }
}
