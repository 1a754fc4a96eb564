package org.warder.signing.tuf;

import java.util.Locale;

/** Submitted metadata does not carry a version above the role's current one. */
public final class VersionNotIncreasedException extends TufException {
  private static final long serialVersionUID = 1L;
  private final long current;
  private final long found;

  public VersionNotIncreasedException(String role, long current, long found) {
    super(
        String.format(
            Locale.ROOT,
            "%s: expected a version greater than the current version %d, found version %d; sign it"
                + " again with version %d",
            role,
            current,
            found,
            current + 1));
    this.current = current;
    this.found = found;
  }

  public long currentVersion() {
    return current;
  }

  public long foundVersion() {
    return found;
  }
}
