package org.warder.client.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway ZFS pool on a file-backed vdev (zfs-fuse on Linux CI, OpenZFS on FreeBSD), destroyed
 * on close. Tests that need ZFS fail under {@code CI=true} when it is missing and skip loudly
 * elsewhere.
 */
public final class ZfsPool implements AutoCloseable {
  private final String name;
  private final Path vdev;

  private ZfsPool(String name, Path vdev) {
    this.name = name;
    this.vdev = vdev;
  }

  /** Creates a pool of {@code megabytes} backed by a file in {@code dir}. */
  public static ZfsPool create(Path dir, int megabytes) throws IOException, InterruptedException {
    if (!available()) {
      String reason =
          "ZFS is not available here (no zfs/zpool command or no running zfs-fuse daemon);"
              + " install zfs-fuse and start 'zfs-fuse' as root";
      Facility.missing("ZFS", reason);
    }
    String name = "wt" + Long.toHexString(System.nanoTime() & 0xffffffL);
    Path vdev = dir.resolve(name + ".img");
    run("truncate", "-s", megabytes + "M", vdev.toString());
    run("zpool", "create", "-m", "none", name, vdev.toAbsolutePath().toString());
    return new ZfsPool(name, vdev);
  }

  public String name() {
    return name;
  }

  /** Whether {@code dataset} exists. */
  public boolean exists(String dataset) throws IOException, InterruptedException {
    return exec(List.of("zfs", "list", "-H", "-o", "name", dataset)) == 0;
  }

  /** Names of all datasets in the pool. */
  public List<String> datasets() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("zfs", "list", "-H", "-r", "-o", "name", name)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  /**
   * Destroys the pool, retrying for about 10 s while zfs-fuse still finds it busy (it does for a
   * while after heavy writes); fails rather than leave the pool imported without its vdev file.
   */
  @Override
  public void close() throws IOException {
    try {
      int code = exec(List.of("zpool", "destroy", "-f", name));
      for (int attempt = 1; code != 0 && attempt < 14; attempt++) {
        Thread.sleep(100L * attempt);
        code = exec(List.of("zpool", "destroy", "-f", name));
      }
      if (code != 0) {
        throw new IOException(
            "zpool destroy -f " + name + " exited with " + code + "; the pool is left behind");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while destroying pool " + name, e);
    }
    Files.deleteIfExists(vdev);
  }

  /**
   * The datasets of this pool that {@code zfs list} or {@code /proc/mounts} shows mounted outside
   * every one of {@code roots}, one line each as they show it.
   */
  public List<String> mountedOutside(List<Path> roots) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("zfs", "list", "-H", "-r", "-o", "name,mountpoint,mounted", name)
            .start();
    List<String> out = new java.util.ArrayList<>();
    for (String line :
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
      String[] col = line.split("\t");
      if (col[2].equals("yes") && roots.stream().noneMatch(r -> Path.of(col[1]).startsWith(r))) {
        out.add(line);
      }
    }
    if (p.waitFor() != 0) {
      throw new IOException("zfs list -r " + name + " exited with " + p.exitValue());
    }
    for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
      String[] col = line.split(" ");
      boolean ours = col[0].equals(name) || col[0].startsWith(name + "/");
      if (ours && roots.stream().noneMatch(r -> Path.of(col[1]).startsWith(r))) {
        out.add(line);
      }
    }
    return out;
  }

  /** Runs {@code zfs ARGS...}; fails unless it exits 0. */
  public void zfs(String... args) throws IOException, InterruptedException {
    List<String> argv = new java.util.ArrayList<>(List.of("zfs"));
    argv.addAll(List.of(args));
    run(argv.toArray(String[]::new));
  }

  /** The stream {@code zfs send ARGS...} writes. */
  public byte[] send(String... args) throws IOException, InterruptedException {
    List<String> argv = new java.util.ArrayList<>(List.of("zfs", "send"));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] stream = p.getInputStream().readAllBytes();
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", argv) + " exited with " + p.exitValue());
    }
    return stream;
  }

  /** Whether zfs and zpool run and answer (a zfs-fuse daemon is up, on Linux). */
  public static boolean available() throws InterruptedException {
    try {
      return exec(List.of("zpool", "list", "-H")) == 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static void run(String... argv) throws IOException, InterruptedException {
    int code = exec(List.of(argv));
    if (code != 0) {
      throw new IOException(String.join(" ", argv) + " exited with " + code);
    }
  }

  private static int exec(List<String> argv) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
