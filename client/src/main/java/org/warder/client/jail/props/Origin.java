package org.warder.client.jail.props;

import java.util.Optional;
import org.warder.client.layout.HostLayout;

/**
 * What a jail's root was built from, and what a base jail's read-only system directories are
 * mounted from: a release or a template of this host, never a path. config.json spells it as its
 * storage name, {@code releases/<RELEASE>} or {@code templates/<NAME>}; anything else (an absolute
 * path, {@code ..}, another directory of the warder root) is refused where the value is read, so
 * that no jail can name a host directory to be mounted into it. Whether the release or template
 * exists here is for the code that uses it to check.
 */
public sealed interface Origin permits Origin.Release, Origin.Template {
  /** What an origin may be, in words. */
  String RULE = "releases/<RELEASE> or templates/<TEMPLATE>, a release or template of this host";

  /**
   * The storage name of the release or template: {@code releases/14.2-RELEASE}, {@code
   * templates/web}.
   */
  String storageName();

  /** {@code release 14.2-RELEASE} or {@code template web}, for messages. */
  String describe();

  /** A fetched FreeBSD release, {@code releases/<release>}. */
  record Release(String release) implements Origin {
    public Release {
      if (!PropertyTypes.RELEASE.matcher(release).matches()) {
        throw new IllegalArgumentException("not a release name: '" + Printable.of(release) + "'");
      }
    }

    @Override
    public String storageName() {
      return HostLayout.releaseName(release);
    }

    @Override
    public String describe() {
      return "release " + release;
    }
  }

  /** A template of this host, {@code templates/<name>}. */
  record Template(JailName name) implements Origin {
    @Override
    public String storageName() {
      return HostLayout.templateName(name.value());
    }

    @Override
    public String describe() {
      return "template " + name;
    }
  }

  /**
   * The origin config.json spells {@code value}, or a {@link PropertyException} that says what it
   * may be.
   */
  static Origin of(String value) throws PropertyException {
    return parse(value)
        .orElseThrow(
            () ->
                PropertyException.malformed(
                    "origin", value, RULE, "not a release or template of this host"));
  }

  /**
   * The origin {@code value} spells, {@code releases/<RELEASE>} or {@code templates/<NAME>}; empty
   * for anything else.
   */
  static Optional<Origin> parse(String value) {
    String releases = HostLayout.releaseName("");
    String templates = HostLayout.templateName("");
    if (value.startsWith(releases)
        && PropertyTypes.RELEASE.matcher(value.substring(releases.length())).matches()) {
      return Optional.of(new Release(value.substring(releases.length())));
    }
    if (value.startsWith(templates)) {
      try {
        return Optional.of(new Template(new JailName(value.substring(templates.length()))));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
