package org.warder.client.team;

/**
 * Base of every checked failure of publishing and fetching team bundles: one subclass per
 * condition, each message saying what was expected, what was found, and what to do.
 */
public class TeamBundleException extends Exception {
  private static final long serialVersionUID = 1L;

  public TeamBundleException(String message) {
    super(message);
  }
}
