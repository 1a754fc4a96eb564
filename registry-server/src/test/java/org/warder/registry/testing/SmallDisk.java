package org.warder.registry.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A file system of a few megabytes that fills up for real: a tmpfs of {@code size} mounted by the
 * test (as root) and unmounted by {@link #close}. Without root, outside CI, the test is skipped
 * with a note on standard error; in CI ({@code $CI} set) it fails instead, so that the fault is
 * always injected there.
 */
public final class SmallDisk implements AutoCloseable {
  private final Path mountPoint;

  private SmallDisk(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  /** Mounts a tmpfs of {@code megabytes} MiB at {@code mountPoint} (created if absent). */
  public static SmallDisk mount(Path mountPoint, int megabytes) throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!root && System.getenv("CI") == null) {
      System.err.println(
          "SKIPPED: mounting a "
              + megabytes
              + " MiB tmpfs needs root; run as root (CI does) to fill a disk for real");
      Assumptions.abort("mounting a tmpfs needs root");
    }
    Files.createDirectories(mountPoint);
    run(
        "mount",
        "-t",
        "tmpfs",
        "-o",
        "size=" + megabytes + "m,mode=0700",
        "tmpfs",
        mountPoint.toString());
    return new SmallDisk(mountPoint);
  }

  public Path path() {
    return mountPoint;
  }

  /** The bytes still free. */
  public long free() throws IOException {
    return Files.getFileStore(mountPoint).getUsableSpace();
  }

  /**
   * Writes {@code file} full of zeros until the disk has at most {@code leave} bytes free (tmpfs
   * counts whole pages, so a few KiB either way).
   */
  public void fillLeaving(Path file, long leave) throws IOException {
    byte[] block = new byte[64 * 1024];
    try (var out = Files.newOutputStream(file)) {
      while (free() > leave) {
        out.write(block, 0, (int) Math.min(block.length, free() - leave));
        out.flush();
      }
    }
  }

  @Override
  public void close() throws IOException {
    run(
        "umount",
        "--lazy",
        mountPoint.toString()); // lazy: a file a failed test left open holds nothing up
  }

  private static void run(String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    boolean ended;
    try {
      ended = p.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ended = false;
    }
    if (!ended || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(
          "expected "
              + List.of(command)
              + " to succeed, found: "
              + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
