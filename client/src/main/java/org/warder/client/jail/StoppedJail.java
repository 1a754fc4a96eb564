package org.warder.client.jail;

import java.io.IOException;
import org.warder.client.ClientException.Reason;

/** The check that a jail is stopped before a command changes what it is made of. */
final class StoppedJail {
  private StoppedJail() {}

  /** Refuses {@code jail} while it runs, naming what would be done ({@code renamed}). */
  static void require(JailLifecycle lifecycle, Jail jail, String done)
      throws JailException, IOException, InterruptedException {
    if (lifecycle.running(jail)) {
      throw new JailException(
          Reason.CONFLICT,
          jail.name()
              + " is running; a jail is "
              + done
              + " only while stopped: stop it first with 'warder stop "
              + jail.name()
              + "'");
    }
  }
}
