package org.warder.client.plugin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.warder.client.ClientException;
import org.warder.client.jail.Jails;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.client.runtime.RuntimeSpec;

/**
 * {@code plugin upgrade}: fetches the manifest's newer release when missing, stops the jail when it
 * runs and moves it to that release; the jail is left stopped, for a later step to start. Reverts
 * nothing itself: the update's snapshot puts the jail back.
 */
final class MoveReleaseStep implements Step {
  private final Jails jails;
  private final PluginSources sources;
  private final RuntimeSpec spec;
  private final String jail;
  private final String release;
  private final List<String> description;

  /**
   * Moves the jail {@code spec} describes to {@code release}; {@code running} (whether the jail
   * will run when the step starts) makes the stop line.
   */
  MoveReleaseStep(
      Jails jails, PluginSources sources, RuntimeSpec spec, boolean running, String release) {
    this.jails = jails;
    this.sources = sources;
    this.spec = spec;
    this.jail = spec.name().value();
    this.release = release;
    List<String> lines = new ArrayList<>();
    if (running) {
      lines.addAll(jails.runtime().describeStop(spec));
    }
    lines.add("fetch release " + release + " when missing, and move " + jail + " to it");
    this.description = List.copyOf(lines);
  }

  @Override
  public String name() {
    return "upgrade";
  }

  @Override
  public List<String> describe() {
    return description;
  }

  @Override
  public void run(Reporter reporter) throws ClientException, IOException, InterruptedException {
    sources.ensureRelease(release);
    if (jails.runtime().jid(spec.name()).isPresent()) {
      jails.lifecycle().stop(jail);
    }
    jails.creator().moveToRelease(jails.store().get(jail), release);
  }
}
