package org.warder.client.jail.props;

import java.util.Optional;

/**
 * One jail property: its iocage name, type, default (absent for identity and runtime keys), who may
 * set it, and a one-line description.
 */
public record PropertySpec(
    String key,
    PropertyType type,
    Optional<String> defaultValue,
    Access access,
    String description) {
  /** Who may set a property. */
  public enum Access {
    /** Users (command line) and plugin manifests. */
    USER,
    /**
     * Users only: the key acts on the host (host-side commands, host files copied into the jail,
     * host networking, which devices the jail sees), so a plugin manifest may not set it.
     */
    HOST,
    /** Set by warder when it creates, imports or converts a jail; always stored; read-only. */
    IDENTITY,
    /** Reported by the running system (jid, state); read-only and never stored. */
    RUNTIME,
    /** An iocage property warder does not implement; refused with a reason. */
    UNSUPPORTED
  }

  /** Whether a user may set this key ({@link Access#USER} or {@link Access#HOST}). */
  public boolean settable() {
    return access == Access.USER || access == Access.HOST;
  }

  /**
   * Whether any value of this key other than its default acts on the host (host commands, host
   * networking, devfs exposure, host files): see {@link HostRisk}.
   */
  public boolean actsOnHost() {
    return HostRisk.actsOnHost(this);
  }

  /**
   * Whether the normalized {@code value} loosens the jail (securelevel below 2, allow_*=1, ...):
   * see {@link HostRisk}.
   */
  public boolean weakensJail(String value) {
    return HostRisk.of(this, value).filter(r -> r == HostRisk.WEAKENS_JAIL).isPresent();
  }

  /**
   * What setting this key to the normalized {@code value} risks for the host; empty when it risks
   * nothing, so anyone may set it (the local administrator may set anything settable).
   */
  public Optional<HostRisk> risk(String value) {
    return HostRisk.of(this, value);
  }
}
