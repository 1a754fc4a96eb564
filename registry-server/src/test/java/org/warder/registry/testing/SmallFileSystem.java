package org.warder.registry.testing;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A size-limited tmpfs mounted on a directory for the length of a test (root only), and a filler
 * file in it that leaves exactly a given number of free pages: a disk that fills up at a step the
 * test chooses. Unmounted on {@link #close}.
 */
public final class SmallFileSystem implements AutoCloseable {
  /** tmpfs counts its space in pages of this size. */
  public static final int PAGE = 4096;

  private final Path mountPoint;
  private final Path filler;

  private SmallFileSystem(Path mountPoint) {
    this.mountPoint = mountPoint;
    this.filler = mountPoint.resolve(".filler");
  }

  /**
   * Mounts a tmpfs of {@code bytes} on {@code mountPoint} (created when missing); fails, or skips
   * outside CI, when this process may not mount.
   */
  public static SmallFileSystem mount(Path mountPoint, long bytes) throws IOException {
    if (!System.getProperty("user.name").equals("root")) {
      Facility.missing("small file system", "mounting a tmpfs needs root");
    }
    Files.createDirectories(mountPoint);
    run(
        List.of(
            "mount",
            "-t",
            "tmpfs",
            "-o",
            "size=" + bytes + ",mode=0755",
            "tmpfs",
            mountPoint.toString()));
    return new SmallFileSystem(mountPoint);
  }

  public Path root() {
    return mountPoint;
  }

  /** Fills the file system until exactly {@code pages} pages are free. */
  public void leaveFree(int pages) throws IOException {
    byte[] block = new byte[PAGE];
    try (OutputStream out =
        Files.newOutputStream(filler, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (IOException full) {
      // no space left: every page is taken
    }
    try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.WRITE)) {
      long size = channel.size() / PAGE * PAGE;
      channel.truncate(Math.max(0, size - (long) pages * PAGE));
    }
  }

  /** Deletes the filler: the space it took is free again. */
  public void free() throws IOException {
    Files.deleteIfExists(filler);
  }

  /** The free space now, in bytes. */
  public long freeBytes() throws IOException {
    return Files.getFileStore(mountPoint).getUsableSpace();
  }

  @Override
  public void close() throws IOException {
    run(List.of("umount", "-l", mountPoint.toString()));
  }

  private static void run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(String.join(" ", command) + " interrupted");
    }
  }
}
