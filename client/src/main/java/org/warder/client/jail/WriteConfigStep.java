package org.warder.client.jail;

import java.io.IOException;
import java.util.List;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;

/** Writes a new jail's {@code config.json} (the last step of a create or a clone). */
final class WriteConfigStep implements Step {
  private final JailStore store;
  private final Jail jail;

  WriteConfigStep(JailStore store, Jail jail) {
    this.store = store;
    this.jail = jail;
  }

  @Override
  public String name() {
    return "config";
  }

  @Override
  public List<String> describe() {
    return List.of(
        "write "
            + store.dir(jail.name().value(), false).resolve("config.json")
            + ": "
            + jail.props().toConfigJson().replaceAll("\\s*\\R\\s*", " "));
  }

  @Override
  public void run(Reporter reporter) throws IOException {
    store.save(jail);
  }
}
