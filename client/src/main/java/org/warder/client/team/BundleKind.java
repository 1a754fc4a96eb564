package org.warder.client.team;

/**
 * What a team bundle holds, a template or a jail; each kind has its own target directory and custom
 * kind.
 */
public enum BundleKind {
  TEMPLATE("templates", "template-bundle", "template"),
  JAIL("jails", "jail-bundle", "jail");

  private final String directory;
  private final String customKind;
  private final String noun;

  BundleKind(String directory, String customKind, String noun) {
    this.directory = directory;
    this.customKind = customKind;
    this.noun = noun;
  }

  /** The first segment of the target paths of this kind: {@code templates} or {@code jails}. */
  public String directory() {
    return directory;
  }

  /** The target's {@code custom.kind}: {@code template-bundle} or {@code jail-bundle}. */
  public String customKind() {
    return customKind;
  }

  /** {@code template} or {@code jail}, for messages. */
  public String noun() {
    return noun;
  }
}
