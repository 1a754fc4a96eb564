package org.warder.client.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The hostile jail process of the race tests, {@code src/test/resources/swapper/swap.c}: built with
 * {@code gcc -static} (so it also runs inside a busybox jail root), it exchanges a directory with a
 * symbolic link to a host directory in a loop with {@code renameat2(RENAME_EXCHANGE)}. gcc and
 * libc6-dev (its libc.a) are needed: a failure under CI=true, a loud skip elsewhere.
 */
public final class RenameSwapper implements AutoCloseable {
  private static final Path SOURCE =
      Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/swapper/swap.c");

  private final Process process;

  private RenameSwapper(Process process) {
    this.process = process;
  }

  /** Compiles the swapper into {@code dir}; returns the static executable. */
  public static Path build(Path dir) throws IOException, InterruptedException {
    boolean tools =
        Files.isExecutable(Path.of("/usr/bin/gcc"))
            && (Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libc.a"))
                || Files.exists(Path.of("/usr/lib/aarch64-linux-gnu/libc.a")));
    if (!tools) {
      String reason =
          "the race tests build their swapper with gcc -static: install gcc and libc6-dev";
      Facility.missing("RACE", reason);
    }
    Files.createDirectories(dir);
    Path binary = dir.resolve("swap");
    Process gcc =
        new ProcessBuilder("gcc", "-static", "-O2", "-o", binary.toString(), SOURCE.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (gcc.waitFor() != 0) {
      throw new IOException("gcc -static " + SOURCE + " failed: " + output);
    }
    return binary;
  }

  /**
   * Starts {@code binary} on the host: it makes {@code link} a link to {@code target} and exchanges
   * {@code dir} and {@code link} until {@link #close}.
   */
  public static RenameSwapper start(Path binary, Path dir, Path link, Path target)
      throws IOException {
    Process p =
        new ProcessBuilder(
                List.of(binary.toString(), dir.toString(), link.toString(), target.toString(), "0"))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    return new RenameSwapper(p);
  }

  /** Whether it is still swapping (it exits at once on an error). */
  public boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
