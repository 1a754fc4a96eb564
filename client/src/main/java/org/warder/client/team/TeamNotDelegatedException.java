package org.warder.client.team;

/**
 * The registry does not delegate the role {@code team-TEAM}, so nobody can publish that team's
 * bundles.
 */
public final class TeamNotDelegatedException extends TeamBundleException {
  private static final long serialVersionUID = 1L;
  private final String delegateCommand;

  public TeamNotDelegatedException(String message, String delegateCommand) {
    super(Reason.REFUSED, message);
    this.delegateCommand = delegateCommand;
  }

  /** The {@code warder-registry delegate} command the registry's administrator must run. */
  public String delegateCommand() {
    return delegateCommand;
  }
}
