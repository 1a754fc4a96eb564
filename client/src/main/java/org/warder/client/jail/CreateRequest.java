package org.warder.client.jail;

import java.util.List;
import java.util.Map;
import org.warder.client.jail.props.JailName;

/**
 * What {@code warder create} asks for: the jail name, what its root is made from, how, and {@code
 * key=value} properties.
 *
 * @param mode {@link Mode#EMPTY} exactly for a {@link JailSource.Empty} source; a {@link
 *     JailSource.TemplateTag} is cloned ({@link Mode#THIN}), as only a clone can start from a
 *     snapshot
 * @param identity identity keys to record (where a pulled template came from)
 */
public record CreateRequest(
    JailName name,
    JailSource source,
    Mode mode,
    List<String> properties,
    Map<String, String> identity) {
  public CreateRequest {
    properties = List.copyOf(properties);
    identity = Map.copyOf(identity);
    if ((source instanceof JailSource.Empty) != (mode == Mode.EMPTY)) {
      throw new IllegalArgumentException(
          "an empty jail has mode EMPTY and nothing else does; found " + mode + " from " + source);
    }
    if (source instanceof JailSource.TemplateTag && mode != Mode.THIN) {
      throw new IllegalArgumentException(
          "only a thin jail can be made from a template's snapshot; found " + mode);
    }
  }

  /** A jail without extra identity keys. */
  public CreateRequest(JailName name, JailSource source, Mode mode, List<String> properties) {
    this(name, source, mode, properties, Map.of());
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
