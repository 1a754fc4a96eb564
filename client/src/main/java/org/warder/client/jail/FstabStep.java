package org.warder.client.jail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.warder.client.freebsd.Fstab;
import org.warder.client.freebsd.FstabEntry;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;

/** Writes a jail's fstab ({@code create}, {@code set}), or none when it mounts nothing. */
final class FstabStep implements Step {
  private final JailMounts mounts;
  private final Jail jail;
  private final List<FstabEntry> entries;

  FstabStep(JailMounts mounts, Jail jail, List<FstabEntry> entries) {
    this.mounts = mounts;
    this.jail = jail;
    this.entries = List.copyOf(entries);
  }

  @Override
  public String name() {
    return "fstab";
  }

  @Override
  public List<String> describe() {
    if (entries.isEmpty()) {
      return List.of("no fstab: the jail mounts nothing besides its root");
    }
    List<String> lines = new ArrayList<>(List.of("write " + mounts.fstab(jail) + ":"));
    Fstab.render(entries).lines().map(l -> "  " + l).forEach(lines::add);
    return lines;
  }

  @Override
  public void run(Reporter reporter) throws IOException {
    mounts.write(jail, entries);
  }
}
