package org.warder.signing.tuf;

/** The four top-level TUF role types, by their {@code _type} value. */
public enum RoleType {
  ROOT("root"),
  TARGETS("targets"),
  SNAPSHOT("snapshot"),
  TIMESTAMP("timestamp");

  private final String value;

  RoleType(String value) {
    this.value = value;
  }

  /** The {@code _type} string, also the role's name and file name stem. */
  public String value() {
    return value;
  }
}
