package org.warder.registry.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when this machine lacks a tool it needs (headless Chromium): with {@code CI} set
 * it fails, since CI installs every tool; elsewhere it skips, saying so loudly on stderr.
 */
public final class Facility {
  private Facility() {}

  /** Fails (on CI) or skips the test, naming {@code kind} and why. */
  public static void missing(String kind, String reason) {
    if (System.getenv("CI") != null) {
      throw new IllegalStateException(reason + " (CI=true: this is a failure)");
    }
    System.err.println("SKIPPING " + kind + " TEST: " + reason);
    Assumptions.abort(reason);
  }
}
