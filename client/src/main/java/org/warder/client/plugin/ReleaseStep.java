package org.warder.client.plugin;

import java.io.IOException;
import java.util.List;
import org.warder.client.ClientException;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;

/**
 * Fetches the manifest's release when this host lacks it, verified against signed metadata; undo
 * destroys the release it fetched (a release that was there stays).
 */
final class ReleaseStep implements Step {
  private final PluginInstaller.Sources sources;
  private final String release;
  private final boolean present;
  private boolean fetched;

  /** {@code present}: whether the host has the release now, when the plan is built. */
  ReleaseStep(PluginInstaller.Sources sources, String release, boolean present) {
    this.sources = sources;
    this.release = release;
    this.present = present;
  }

  @Override
  public String name() {
    return "release";
  }

  @Override
  public List<String> describe() {
    return present
        ? List.of()
        : List.of(
            "fetch release "
                + release
                + " (warder fetch -r "
                + release
                + "), verified against signed metadata");
  }

  @Override
  public void run(Reporter reporter) throws ClientException, IOException, InterruptedException {
    fetched = sources.ensureRelease(release);
  }

  @Override
  public void undo(Reporter reporter) throws ClientException, IOException, InterruptedException {
    if (fetched) {
      sources.destroyRelease(release);
    }
  }
}
