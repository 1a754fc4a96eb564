package org.warder.client.jail;

import java.io.IOException;
import org.warder.client.ClientException.Reason;
import org.warder.client.exec.Command;
import org.warder.client.runtime.JailRuntime;

/** {@code warder console}: the command that opens a login shell in a running jail. */
public final class JailConsole {
  private final JailStore store;
  private final JailRuntime runtime;

  JailConsole(JailStore store, JailRuntime runtime) {
    this.store = store;
    this.runtime = runtime;
  }

  /** The host command for a login shell in jail {@code name}; refused unless it runs. */
  public Command command(String name) throws JailException, IOException, InterruptedException {
    Jail jail = store.get(name);
    if (jail.template() || runtime.jid(jail.name()).isEmpty()) {
      throw new JailException(
          Reason.CONFLICT,
          name
              + (jail.template()
                  ? " is a template, which never runs; create a jail from it with 'warder create -t "
                      + name
                      + " -n NAME'"
                  : " is not running; start it with 'warder start " + name + "', then try again"));
    }
    return runtime.console(jail.name());
  }
}
