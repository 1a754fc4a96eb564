package org.warder.client.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import org.warder.client.exec.CommandRunner;
import org.warder.client.host.HostOs;
import org.warder.client.layout.HostLayout;
import org.warder.client.state.StateFiles;

/**
 * The host's storage choice, kept in {@code <root>/warder.json}: {@code dir} (the default) or
 * {@code zfs} with the base dataset mounted at the root ({@code warder activate}).
 */
public record HostSettings(String storage, Optional<String> dataset) {

  public static HostSettings dir() {
    return new HostSettings("dir", Optional.empty());
  }

  /** The settings of {@code layout}, or dir storage when none were written. */
  public static HostSettings load(HostLayout layout) throws IOException {
    if (!Files.exists(layout.settings())) {
      return dir();
    }
    HostSettings s = StateFiles.read(layout.settings(), HostSettings.class);
    if (!s.storage().equals("dir") && !(s.storage().equals("zfs") && s.dataset().isPresent())) {
      throw new IOException(
          layout.settings() + ": expected storage \"dir\", or \"zfs\" with a dataset, found " + s);
    }
    return s;
  }

  /** The storage adapter these settings name. */
  public Storage open(HostLayout layout, CommandRunner runner) {
    boolean freebsd = HostOs.current() == HostOs.FREEBSD;
    if (storage.equals("zfs")) {
      return new ZfsStorage(runner, dataset.orElseThrow(), layout.root(), !freebsd);
    }
    return new DirStorage(layout.root(), runner, freebsd);
  }
}
