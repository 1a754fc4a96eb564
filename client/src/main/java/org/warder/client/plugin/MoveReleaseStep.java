package org.warder.client.plugin;

import java.io.IOException;
import java.util.List;
import org.warder.client.ClientException;
import org.warder.client.jail.Jails;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;

/**
 * {@code plugin upgrade}: fetches the manifest's newer release when missing and moves the stopped
 * jail to it. Reverts nothing itself: the update's snapshot puts the jail back.
 */
final class MoveReleaseStep implements Step {
  private final Jails jails;
  private final PluginSources sources;
  private final String jail;
  private final String release;

  MoveReleaseStep(Jails jails, PluginSources sources, String jail, String release) {
    this.jails = jails;
    this.sources = sources;
    this.jail = jail;
    this.release = release;
  }

  @Override
  public String name() {
    return "upgrade";
  }

  @Override
  public List<String> describe() {
    return List.of(
        "fetch release " + release + " when missing, and move " + jail + " to it (stopped)");
  }

  @Override
  public void run(Reporter reporter) throws ClientException, IOException, InterruptedException {
    sources.ensureRelease(release);
    jails.creator().moveToRelease(jails.store().get(jail), release);
  }
}
