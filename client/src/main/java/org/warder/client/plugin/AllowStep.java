package org.warder.client.plugin;

import java.util.List;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;

/**
 * Says what the administrator's flags allow the manifest beyond {@link ManifestPolicy}'s defaults,
 * before anything is made. The decision itself is taken when the plan is built: a manifest that
 * asks for more than it is allowed gets no plan.
 */
final class AllowStep implements Step {
  private final List<String> lines;

  AllowStep(ManifestPolicy.Decision decision) {
    this.lines = List.copyOf(decision.lines());
  }

  @Override
  public String name() {
    return "allow";
  }

  @Override
  public List<String> describe() {
    return lines;
  }

  @Override
  public void run(Reporter reporter) {
    lines.forEach(reporter::info);
  }
}
