package org.warder.client.jail;

import java.util.Optional;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.Origin;

/**
 * What a new jail's root is made from, parsed once where the user names it: a fetched release, a
 * template of this host as it is now, a template at one of its snapshots (a pulled tag), or nothing
 * (an empty jail). Each case holds only what it needs, so a snapshot cannot be asked of a release
 * and an empty jail has no origin.
 */
public sealed interface JailSource {
  /**
   * The release or template the jail's config.json names as its origin; empty for an empty jail.
   */
  Optional<Origin> origin();

  /**
   * {@code release 14.2-RELEASE}, {@code template web}, {@code template web@tag1}, {@code nothing}.
   */
  String describe();

  /** A fetched release, {@code releases/<release>}. */
  record Release(Origin.Release release) implements JailSource {
    /** The release called {@code name}; refused when it is not a release name. */
    public static Release of(String name) {
      return new Release(new Origin.Release(name));
    }

    @Override
    public Optional<Origin> origin() {
      return Optional.of(release);
    }

    @Override
    public String describe() {
      return release.describe();
    }
  }

  /** A template of this host as it is now. */
  record Template(JailName name) implements JailSource {
    @Override
    public Optional<Origin> origin() {
      return Optional.of(new Origin.Template(name));
    }

    @Override
    public String describe() {
      return "template " + name;
    }
  }

  /** A template of this host at its snapshot {@code snapshot}: a tag pulled from a registry. */
  record TemplateTag(JailName name, String snapshot) implements JailSource {
    @Override
    public Optional<Origin> origin() {
      return Optional.of(new Origin.Template(name));
    }

    @Override
    public String describe() {
      return "template " + name + "@" + snapshot;
    }
  }

  /** Nothing: an empty root. */
  record Empty() implements JailSource {
    @Override
    public Optional<Origin> origin() {
      return Optional.empty();
    }

    @Override
    public String describe() {
      return "nothing";
    }
  }
}
