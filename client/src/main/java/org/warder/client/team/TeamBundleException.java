package org.warder.client.team;

import org.warder.client.ClientException;

/**
 * Base of every checked failure of publishing and fetching team bundles: one subclass per
 * condition, each message saying what was expected, what was found, and what to do.
 */
public class TeamBundleException extends ClientException {
  private static final long serialVersionUID = 1L;

  public TeamBundleException(Reason reason, String message) {
    super(reason, message);
  }
}
