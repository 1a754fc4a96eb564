package org.warder.signing.tuf;

import java.util.List;

/**
 * A target path of submitted delegated metadata lies outside the paths that a delegation on the
 * role's chain trusts it for, so clients would never look for it there.
 */
public final class PathNotDelegatedException extends TufException {
  private static final long serialVersionUID = 1L;
  private final String path;
  private final String delegatedRole;
  private final List<String> patterns;

  public PathNotDelegatedException(
      String role, String path, String delegator, String delegatedRole, List<String> patterns) {
    super(
        "target \""
            + path
            + "\" of "
            + role
            + " lies outside the paths "
            + delegator
            + " delegates to "
            + delegatedRole
            + ": expected a path matching one of "
            + patterns
            + "; rename the target or ask the registry owner to widen the delegation");
    this.path = path;
    this.delegatedRole = delegatedRole;
    this.patterns = List.copyOf(patterns);
  }

  /** The refused target path. */
  public String path() {
    return path;
  }

  /** The role on the chain whose delegation does not cover the path. */
  public String delegatedRole() {
    return delegatedRole;
  }

  /** The patterns of that delegation (or the hash prefixes, for hash-bin delegations). */
  public List<String> patterns() {
    return patterns;
  }
}
