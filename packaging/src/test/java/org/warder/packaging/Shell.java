package org.warder.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.warder.client.testing.Facility;

/** Runs a host program for a test: its exit status and output. */
final class Shell {
  private Shell() {}

  record Result(int exit, String out, String err) {}

  /** Runs {@code argv}; a missing program fails (CI) or skips the test through Facility. */
  static Result run(List<String> argv) throws IOException, InterruptedException {
    requireProgram(argv.get(0));
    Path out = Files.createTempFile("shell", ".out");
    Path err = Files.createTempFile("shell", ".err");
    try {
      Process p =
          new ProcessBuilder(argv)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      // a deadline, not a timing: class-data-archive.sh's training runs take minutes on a busy host
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(argv + " ran for more than 300 s");
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.delete(out);
      Files.delete(err);
    }
  }

  /** Skips (or on CI fails) the test when {@code program} is not on the PATH. */
  static void requireProgram(String program) {
    if (program.contains("/")) {
      return;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return;
      }
    }
    Facility.missing(program, program + " is not installed (.ci/run installs it)");
  }
}
