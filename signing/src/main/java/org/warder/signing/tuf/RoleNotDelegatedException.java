package org.warder.signing.tuf;

/** No chain of delegations from the top-level targets role reaches a role. */
public final class RoleNotDelegatedException extends TufException {
  private static final long serialVersionUID = 1L;
  private final String role;

  public RoleNotDelegatedException(String role, String why) {
    super("no delegation reaches the role \"" + role + "\": " + why);
    this.role = role;
  }

  public String role() {
    return role;
  }
}
