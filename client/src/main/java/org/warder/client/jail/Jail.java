package org.warder.client.jail;

import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.jail.props.Origin;
import org.warder.client.layout.HostLayout;

/**
 * A jail or template on this host: its name, its properties (config.json), and whether it is a
 * template (read-only, never started, under {@code <root>/templates}).
 */
public record Jail(JailName name, JailProperties props, boolean template) {

  /** The storage name of the jail's directory: {@code jails/<name>} or {@code templates/<name>}. */
  public String storageName() {
    return template ? HostLayout.templateName(name.value()) : HostLayout.jailName(name.value());
  }

  /** The storage name of its root: {@code <storageName>/root}. */
  public String rootName() {
    return HostLayout.rootName(storageName());
  }

  /** The release it was built from ({@code EMPTY} for empty jails). */
  public String release() {
    return props.identity("release").orElse("EMPTY");
  }

  /** Where it came from, a release or template of this host, when not empty. */
  public java.util.Optional<Origin> origin() {
    return props.origin();
  }
}
