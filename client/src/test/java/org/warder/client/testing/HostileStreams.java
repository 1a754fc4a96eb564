package org.warder.client.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real {@code zfs send} streams of a dataset whose {@code mountpoint} is a host directory outside
 * any warder root, as a hostile publisher makes them: {@code zfs send -p} (properties), {@code zfs
 * send -R} (replication, properties of every dataset) and {@code zfs send -I}, next to a plain
 * {@code zfs send} and {@code zfs send -i} of the same snapshots. The dataset is made, sent and
 * destroyed again; the host directory is left empty and unmounted for the test to watch.
 *
 * @param plain {@code zfs send DS@s1}
 * @param incremental {@code zfs send -i @s1 DS@s2}
 * @param properties {@code zfs send -p DS@s2}
 * @param replication {@code zfs send -R DS@s2}
 * @param intermediary {@code zfs send -I @s1 DS@s2}
 * @param hostDir where the streams' {@code mountpoint} points
 */
public record HostileStreams(
    byte[] plain,
    byte[] incremental,
    byte[] properties,
    byte[] replication,
    byte[] intermediary,
    Path hostDir) {

  /** Makes the streams in {@code pool}, pointing at the new empty directory {@code hostDir}. */
  public static HostileStreams make(ZfsPool pool, Path hostDir)
      throws IOException, InterruptedException {
    Files.createDirectories(hostDir);
    String parent = pool.name() + "/hostile";
    String ds = parent + "/ds";
    pool.zfs("create", "-o", "mountpoint=none", parent);
    pool.zfs("create", "-o", "mountpoint=" + hostDir, ds);
    Files.writeString(hostDir.resolve("owned"), "written through a hijacked mountpoint\n");
    pool.zfs("snapshot", ds + "@s1");
    Files.writeString(hostDir.resolve("more"), "more\n");
    pool.zfs("snapshot", ds + "@s2");
    HostileStreams streams =
        new HostileStreams(
            pool.send(ds + "@s1"),
            pool.send("-i", "@s1", ds + "@s2"),
            pool.send("-p", ds + "@s2"),
            pool.send("-R", ds + "@s2"),
            pool.send("-I", "@s1", ds + "@s2"),
            hostDir);
    retryingBusy(pool, "umount", ds);
    retryingBusy(pool, "destroy", "-r", parent);
    streams.assertHostDirUntouched();
    return streams;
  }

  /** zfs-fuse finds a dataset busy for a few seconds after its files were written. */
  private static void retryingBusy(ZfsPool pool, String... args)
      throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        pool.zfs(args);
        return;
      } catch (IOException e) {
        if (attempt == 14) {
          throw e;
        }
        Thread.sleep(100L * attempt);
      }
    }
  }

  /** The host directory is empty and nothing is mounted on it. */
  public void assertHostDirUntouched() throws IOException {
    try (Stream<Path> s = Files.list(hostDir)) {
      List<Path> content = s.toList();
      if (!content.isEmpty()) {
        throw new AssertionError(hostDir + " should be empty, holds " + content);
      }
    }
    List<String> mounts =
        Files.readAllLines(Path.of("/proc/mounts")).stream()
            .filter(l -> l.split(" ")[1].equals(hostDir.toString()))
            .toList();
    if (!mounts.isEmpty()) {
      throw new AssertionError(
          hostDir + " should not be a mount point, /proc/mounts has " + mounts);
    }
  }
}
