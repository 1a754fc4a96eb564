package org.warder.signing.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The independent programs tests compare against: Debian's {@code python3-securesystemslib} under
 * {@code /usr/bin/python3}, the {@code openssl} command, and any other tool found on PATH ({@code
 * xz}, {@code bsdtar}, busybox, Node.js).
 *
 * <p>A missing tool fails the test when the environment variable {@code CI} is set (anything but
 * {@code false} or {@code 0}; {@code .ci/run} sets {@code CI=true} and installs the tools);
 * elsewhere the test is skipped with a loud message on stderr.
 */
public final class ExternalTools {
  /** Exactly this interpreter: the {@code python3} on PATH may be a build without the package. */
  public static final Path PYTHON = Path.of("/usr/bin/python3");

  private static final long TIMEOUT_MINUTES = 5;
  private static String pythonProblem;
  private static String securesystemslibVersion;
  private static String opensslProblem;
  private static Path openssl;
  private static final Set<String> ANNOUNCED = new HashSet<>();

  private ExternalTools() {}

  /**
   * The outcome of a finished process. {@code stdout} is empty when it went to a file; {@code
   * stderr} is decoded as UTF-8.
   */
  @SuppressWarnings("ArrayRecordComponent") // a process outcome, read once, never compared
  public record Result(int exitCode, byte[] stdout, String stderr) {
    public String stdoutText() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    /** Fails unless the process exited with 0. */
    public Result requireSuccess(List<String> command) {
      if (exitCode != 0) {
        fail("%s exited with %d; stderr:%n%s", command, exitCode, stderr);
      }
      return this;
    }
  }

  /** Whether this looks like a CI run, where a skipped interop check is a failure. */
  public static boolean inCi() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
  }

  /**
   * Fails the calling test under CI because of {@code reason}; elsewhere says so on stderr, loudly
   * and once per reason, and returns, so that the caller can mark its tests to be skipped.
   */
  public static void reportMissing(String reason) {
    if (inCi()) {
      fail(reason + ": the check did NOT run, and CI is set, so a missing tool is a failure");
    }
    synchronized (ANNOUNCED) {
      if (ANNOUNCED.add(reason)) {
        String bar = "*".repeat(78);
        System.err.println(bar);
        System.err.println("*** SKIPPING TESTS: " + reason);
        System.err.println("*** CI=true turns this skip into a failure.");
        System.err.println(bar);
      }
    }
  }

  /**
   * Skips (or, in CI, fails) the calling test because of {@code reason}, e.g. a missing tool. Never
   * returns.
   */
  public static void unavailable(String reason) {
    reportMissing(reason);
    Assumptions.abort(reason + ": the check did NOT run");
  }

  /** The absolute path of {@code command} on PATH; skips or fails the test naming the package. */
  public static Path require(String command, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    unavailable(command + " is not on PATH (Debian package " + debianPackage + ")");
    throw new AssertionError("unreachable");
  }

  /** A file a Debian package installs, e.g. {@code /bin/busybox}; skips or fails otherwise. */
  public static Path requireFile(Path file, String debianPackage) {
    if (!Files.isRegularFile(file)) {
      unavailable(file + " is missing (Debian package " + debianPackage + ")");
    }
    return file;
  }

  /**
   * {@code /usr/bin/python3} with securesystemslib importable; skips or fails the test otherwise.
   */
  public static synchronized Path python() {
    if (securesystemslibVersion == null && pythonProblem == null) {
      if (!Files.isExecutable(PYTHON)) {
        pythonProblem = PYTHON + " is missing (Debian package python3-securesystemslib)";
      } else {
        List<String> command =
            List.of(
                PYTHON.toString(),
                "-I",
                "-c",
                "import securesystemslib, sys; sys.stdout.write(securesystemslib.__version__)");
        Result r = run(command, new byte[0]);
        if (r.exitCode() != 0) {
          pythonProblem =
              PYTHON
                  + " cannot import securesystemslib (Debian package python3-securesystemslib): "
                  + r.stderr().strip();
        } else {
          securesystemslibVersion = r.stdoutText().trim();
        }
      }
    }
    if (pythonProblem != null) {
      unavailable(pythonProblem);
    }
    return PYTHON;
  }

  /** The version of the securesystemslib that {@link #python()} imports. */
  public static synchronized String securesystemslibVersion() {
    python();
    return securesystemslibVersion;
  }

  /**
   * Runs {@code script} with {@code python3 -I} (isolated: no PYTHONPATH, no user site), feeding it
   * {@code stdin}; fails the test if the script exits with anything but 0.
   */
  public static byte[] runPython(String script, byte[] stdin) {
    List<String> command = List.of(python().toString(), "-I", "-c", script);
    return run(command, stdin).requireSuccess(command).stdout();
  }

  /** The {@code openssl} command (OpenSSL 3); skips or fails the test otherwise. */
  public static synchronized Path openssl() {
    if (openssl == null && opensslProblem == null) {
      Path candidate = Path.of("/usr/bin/openssl");
      if (!Files.isExecutable(candidate)) {
        opensslProblem = "/usr/bin/openssl is missing (Debian package openssl)";
      } else {
        Result r = run(List.of(candidate.toString(), "version"), new byte[0]);
        String version = r.stdoutText().trim();
        if (r.exitCode() != 0 || !version.startsWith("OpenSSL 3.")) {
          opensslProblem =
              "/usr/bin/openssl is not a working OpenSSL 3 (found '"
                  + version
                  + "' "
                  + r.stderr()
                  + "; Debian package openssl)";
        } else {
          openssl = candidate;
        }
      }
    }
    if (opensslProblem != null) {
      unavailable(opensslProblem);
    }
    return openssl;
  }

  /** Runs {@code openssl args...}; fails the test if it exits with anything but 0. */
  public static byte[] runOpenssl(byte[] stdin, String... args) {
    List<String> command = opensslCommand(args);
    return run(command, stdin).requireSuccess(command).stdout();
  }

  /** Runs {@code openssl args...} and returns whatever happened. */
  public static Result tryOpenssl(byte[] stdin, String... args) {
    return run(opensslCommand(args), stdin);
  }

  private static List<String> opensslCommand(String... args) {
    List<String> command = new ArrayList<>();
    command.add(openssl().toString());
    command.addAll(List.of(args));
    return command;
  }

  /**
   * Runs {@code command} with stdin, stdout and stderr in temporary files (no pipe deadlocks), in
   * the C.UTF-8 locale.
   */
  public static Result run(List<String> command, byte[] stdin) {
    Path in = null;
    Path out = null;
    try {
      in = Files.createTempFile("warder-tool-", ".in");
      out = Files.createTempFile("warder-tool-", ".out");
      Files.write(in, stdin);
      Result r = runRedirected(in, out, command);
      return new Result(r.exitCode(), Files.readAllBytes(out), r.stderr());
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(in);
      deleteQuietly(out);
    }
  }

  /**
   * Runs {@code argv} with stdin from the file {@code stdin} (or nothing when null) and stdout to
   * the file {@code out} (or nowhere when null), in the C.UTF-8 locale; the result holds the exit
   * code and stderr.
   */
  public static Result run(Path stdin, Path out, String... argv) {
    return runRedirected(stdin, out, List.of(argv));
  }

  /** {@link #run(Path, Path, String...)}, requiring exit code 0. */
  public static void runOk(Path stdin, Path out, String... argv) {
    Result r = run(stdin, out, argv);
    assertThat(r.exitCode()).as("%s failed: %s", String.join(" ", argv), r.stderr()).isZero();
  }

  private static Result runRedirected(Path stdin, Path out, List<String> command) {
    Path err = null;
    try {
      err = Files.createTempFile("warder-tool-", ".err");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectInput(
                  stdin == null
                      ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                      : ProcessBuilder.Redirect.from(stdin.toFile()))
              .redirectOutput(
                  out == null
                      ? ProcessBuilder.Redirect.DISCARD
                      : ProcessBuilder.Redirect.to(out.toFile()))
              .redirectError(err.toFile());
      pb.environment().put("LC_ALL", "C.UTF-8");
      Process p = pb.start();
      if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        fail("%s did not finish within %d minutes", command, TIMEOUT_MINUTES);
      }
      return new Result(p.exitValue(), new byte[0], Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    } finally {
      deleteQuietly(err);
    }
  }

  /** {@code first | second > out}, both required to succeed; their stderr goes to the test's. */
  public static void pipe(List<String> first, List<String> second, Path out) {
    List<ProcessBuilder> builders = new ArrayList<>();
    builders.add(new ProcessBuilder(first).redirectError(ProcessBuilder.Redirect.INHERIT));
    builders.add(
        new ProcessBuilder(second)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .redirectOutput(out.toFile()));
    try {
      List<Process> processes = ProcessBuilder.startPipeline(builders);
      for (int i = 0; i < processes.size(); i++) {
        Process p = processes.get(i);
        assertThat(p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES))
            .as("pipeline stage %d finished", i)
            .isTrue();
        assertThat(p.exitValue()).as("exit status of %s", builders.get(i).command()).isZero();
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + first + " | " + second + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + first + " | " + second, e);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a stray temporary file is harmless
      }
    }
  }
}
