package org.warder.client.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The reference tools the archive tests compare against ({@code xz}, {@code bsdtar}, busybox).
 * A missing tool fails the test under CI ({@code CI=true}, where {@code .ci/run} installs them)
 * and skips it elsewhere, saying so on stderr.
 */
final class ExternalTools {
  private ExternalTools() {}

  static boolean underCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** The absolute path of {@code command} on PATH, or a failure/skip naming the package. */
  static Path require(String command, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    unavailable(command + " is not on PATH (Debian package " + debianPackage + ")");
    throw new AssertionError("unreachable");
  }

  /** A file a Debian package installs, e.g. {@code /bin/busybox}, or a failure/skip. */
  static Path requireFile(Path file, String debianPackage) {
    if (!Files.isRegularFile(file)) {
      unavailable(file + " is missing (Debian package " + debianPackage + ")");
    }
    return file;
  }

  /** Fails under CI, else skips with a message on stderr. */
  static void unavailable(String reason) {
    if (underCi()) {
      Assertions.fail("cannot run under CI=true: " + reason + "; .ci/run should install it");
    }
    System.err.println("SKIPPED (archive tests): " + reason + "; under CI=true this fails");
    Assumptions.abort(reason);
  }

  /** Runs {@code argv} with stdin from {@code stdin} (or nothing) and stdout to {@code out}. */
  static Result run(Path stdin, Path out, String... argv) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
        : ProcessBuilder.Redirect.from(stdin.toFile()));
    Path errFile = Files.createTempFile("tool", ".err");
    try {
      pb.redirectError(errFile.toFile());
      pb.redirectOutput(out == null ? ProcessBuilder.Redirect.DISCARD
          : ProcessBuilder.Redirect.to(out.toFile()));
      Process p = pb.start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", argv) + " timed out");
      }
      return new Result(p.exitValue(), Files.readString(errFile, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(errFile);
    }
  }

  /** Runs {@code argv} and requires exit status 0. */
  static void runOk(Path stdin, Path out, String... argv) throws IOException, InterruptedException {
    Result r = run(stdin, out, argv);
    assertThat(r.exitCode()).as("%s failed: %s", String.join(" ", argv), r.stderr()).isZero();
  }

  /** {@code first | second > out}, both required to succeed. */
  static void pipe(List<String> first, List<String> second, Path out)
      throws IOException, InterruptedException {
    List<ProcessBuilder> builders = new ArrayList<>();
    builders.add(new ProcessBuilder(first).redirectError(ProcessBuilder.Redirect.INHERIT));
    builders.add(
        new ProcessBuilder(second)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .redirectOutput(out.toFile()));
    List<Process> processes = ProcessBuilder.startPipeline(builders);
    for (int i = 0; i < processes.size(); i++) {
      Process p = processes.get(i);
      assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("pipeline stage %d finished", i).isTrue();
      assertThat(p.exitValue()).as("exit status of %s", builders.get(i).command()).isZero();
    }
  }

  record Result(int exitCode, String stderr) {}
}
