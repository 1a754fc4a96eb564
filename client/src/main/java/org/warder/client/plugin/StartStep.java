package org.warder.client.plugin;

import java.io.IOException;
import java.util.List;
import org.warder.client.ClientException;
import org.warder.client.jail.Jail;
import org.warder.client.jail.Jails;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.client.runtime.RuntimeSpec;

/**
 * Starts the jail (after the jails it depends on). Reverts nothing: the step that made the jail
 * stops it when it removes it, and an update's snapshot puts back whether it ran.
 */
final class StartStep implements Step {
  private final Jails jails;
  private final RuntimeSpec spec;
  private final List<String> description;

  /** Starts {@code jail} as {@code spec} describes it. */
  StartStep(Jails jails, RuntimeSpec spec, Jail jail) throws ClientException, IOException {
    this.jails = jails;
    this.spec = spec;
    this.description = jails.lifecycle().describeStart(jail, spec);
  }

  @Override
  public String name() {
    return "start";
  }

  @Override
  public List<String> describe() {
    return description;
  }

  @Override
  public void run(Reporter reporter) throws ClientException, IOException, InterruptedException {
    jails.lifecycle().start(spec.name().value());
  }
}
