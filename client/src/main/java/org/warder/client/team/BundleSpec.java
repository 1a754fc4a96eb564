package org.warder.client.team;

import java.util.Objects;
import java.util.Optional;
import org.warder.index.BundleManifest.Format;

/**
 * What a published bundle is: its kind, team, name and tag (which give its target path, see {@link
 * TeamTargets}), the FreeBSD release it needs, its format, and for an incremental bundle the tag of
 * the same name it holds the difference against. {@link TeamTargets#check} validates one.
 *
 * @param baseTag empty for a full bundle
 */
public record BundleSpec(
    BundleKind kind,
    String team,
    String name,
    String tag,
    String release,
    Format format,
    Optional<String> baseTag) {
  public BundleSpec {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(team, "team");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(baseTag, "baseTag");
  }

  /** Whether the bundle holds only the difference against {@link #baseTag}. */
  public boolean incremental() {
    return baseTag.isPresent();
  }

  /** {@code TEAM/NAME:TAG}, as a user names it. */
  public String reference() {
    return team + "/" + name + ":" + tag;
  }
}
