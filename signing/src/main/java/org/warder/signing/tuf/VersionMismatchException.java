package org.warder.signing.tuf;

import java.util.Locale;

/** Metadata has another version than the one its file name or its referrer announced. */
public final class VersionMismatchException extends TufException {
  private static final long serialVersionUID = 1L;
  private final long expected;
  private final long found;

  public VersionMismatchException(String what, long expected, long found) {
    super(
        String.format(
            Locale.ROOT, "%s: expected version %d, found version %d", what, expected, found));
    this.expected = expected;
    this.found = found;
  }

  public long expectedVersion() {
    return expected;
  }

  public long foundVersion() {
    return found;
  }
}
