package org.warder.client.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Waiting for a file that work running on another thread writes. */
public final class AwaitFile {
  private AwaitFile() {}

  /**
   * Waits (a generous deadline of two minutes, not a measure) for a non-empty file under {@code
   * dir} whose name {@code name} accepts, while {@code running} runs; fails if {@code running} ends
   * first, or with {@code missing} when no such file came.
   */
  public static Path nonEmpty(
      Path dir, Predicate<String> name, CompletableFuture<?> running, String missing)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      assertThat(running).as("the work ended before the file was written").isNotDone();
      if (Files.isDirectory(dir)) {
        try (Stream<Path> files = Files.walk(dir)) {
          Optional<Path> found =
              files
                  .filter(p -> name.test(p.getFileName().toString()))
                  .filter(p -> p.toFile().length() > 0)
                  .findFirst();
          if (found.isPresent()) {
            return found.get();
          }
        } catch (IOException | UncheckedIOException e) {
          // a directory went while it was walked: look again
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError(missing);
  }
}
