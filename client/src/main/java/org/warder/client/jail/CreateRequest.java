package org.warder.client.jail;

import java.util.List;
import org.warder.client.jail.props.Origin;

/**
 * What {@code warder create} asks for: the jail name, where it comes from (a release, a template,
 * or nothing), how its root is made, and {@code key=value} properties.
 *
 * @param source a release or template of this host, or empty for an empty jail
 * @param snapshot for a thin jail from a template: clone this snapshot of it (a pulled tag) rather
 *     than its present state
 * @param identity identity keys to record (where a pulled template came from)
 */
public record CreateRequest(
    String name,
    java.util.Optional<Origin> source,
    Mode mode,
    List<String> properties,
    java.util.Optional<String> snapshot,
    java.util.Map<String, String> identity) {
  public CreateRequest {
    properties = List.copyOf(properties);
    identity = java.util.Map.copyOf(identity);
  }

  /** A jail from the present state of {@code source}. */
  public CreateRequest(
      String name, java.util.Optional<Origin> source, Mode mode, List<String> properties) {
    this(name, source, mode, properties, java.util.Optional.empty(), java.util.Map.of());
  }

  /** How the jail's root is made from its source. */
  public enum Mode {
    /** A ZFS clone of the source (a copy with plain directories). */
    THIN,
    /** An independent full copy. */
    THICK,
    /**
     * A copy whose system directories are read-only mounts of the source (the book's Chapter 6).
     */
    BASE,
    /** An empty root. */
    EMPTY
  }
}
