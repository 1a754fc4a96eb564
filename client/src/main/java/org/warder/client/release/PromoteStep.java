package org.warder.client.release;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.warder.client.layout.HostLayout;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.client.state.StateFiles;
import org.warder.client.storage.Storage;

/**
 * Records where a release came from ({@code release.json}) and renames its staging area to the
 * release's name: the release appears at once and whole. Undo destroys it.
 */
final class PromoteStep implements Step {
  private final String release;
  private final String arch;
  private final String source;
  private final String staging;
  private final DownloadStep download;
  private final Storage storage;
  private final Clock clock;

  PromoteStep(
      String release,
      String arch,
      String source,
      String staging,
      DownloadStep download,
      Storage storage,
      Clock clock) {
    this.release = release;
    this.arch = arch;
    this.source = source;
    this.staging = staging;
    this.download = download;
    this.storage = storage;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "promote";
  }

  @Override
  public List<String> describe() {
    return List.of(
        "write "
            + staging
            + "/release.json (release "
            + release
            + ", "
            + arch
            + ", from "
            + source
            + ")",
        "rename " + staging + " to " + HostLayout.releaseName(release));
  }

  @Override
  public void run(Reporter reporter) throws IOException, InterruptedException {
    ReleaseRecord record =
        new ReleaseRecord(release, arch, source, download.records(), clock.instant());
    StateFiles.write(storage.path(staging).resolve("release.json"), record);
    storage.rename(staging, HostLayout.releaseName(release));
  }

  @Override
  public void undo(Reporter reporter) throws IOException, InterruptedException {
    storage.destroy(HostLayout.releaseName(release));
  }
}
