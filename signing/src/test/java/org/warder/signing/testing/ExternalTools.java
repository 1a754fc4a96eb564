package org.warder.signing.testing;

import static org.assertj.core.api.Assertions.fail;

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
 * Runs the independent implementations the interop tests compare against: Debian's {@code
 * python3-securesystemslib} under {@code /usr/bin/python3} and the {@code openssl} command.
 *
 * <p>A missing tool fails the test when the environment variable {@code CI} is set (anything but
 * {@code false} or {@code 0}); elsewhere the test is skipped with a loud message on stderr.
 */
public final class ExternalTools {
  /** Exactly this interpreter: the {@code python3} on PATH may be a build without the package. */
  public static final Path PYTHON = Path.of("/usr/bin/python3");

  private static final long TIMEOUT_SECONDS = 120;
  private static String pythonProblem;
  private static String securesystemslibVersion;
  private static String opensslProblem;
  private static Path openssl;
  private static final Set<String> ANNOUNCED = new HashSet<>();

  private ExternalTools() {}

  /** The output of a finished process. */
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
    return ci != null
        && !ci.isBlank()
        && !ci.equalsIgnoreCase("false")
        && !ci.equals("0");
  }

  /**
   * Skips (or, in CI, fails) the calling test because {@code what} is missing. Never returns.
   */
  public static void unavailable(String what) {
    String message = what + ": the interop cross-check did NOT run";
    if (inCi()) {
      fail(message + " (CI is set, so a missing reference implementation is a failure)");
    }
    synchronized (ANNOUNCED) {
      if (ANNOUNCED.add(what)) {
        String bar = "*".repeat(78);
        System.err.println(bar);
        System.err.println("*** SKIPPING INTEROP TESTS: " + message);
        System.err.println("*** Install it (Debian 12: apt-get install python3-securesystemslib openssl)");
        System.err.println("*** CI=true turns this skip into a failure.");
        System.err.println(bar);
      }
    }
    Assumptions.abort(message);
  }

  /**
   * {@code /usr/bin/python3} with securesystemslib importable; skips or fails the test
   * otherwise.
   */
  public static synchronized Path python() {
    if (securesystemslibVersion == null && pythonProblem == null) {
      if (!Files.isExecutable(PYTHON)) {
        pythonProblem = PYTHON + " is missing";
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
              PYTHON + " cannot import securesystemslib (python3-securesystemslib): "
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
   * Runs {@code script} with {@code python3 -I} (isolated: no PYTHONPATH, no user site), feeding
   * it {@code stdin}; fails the test if the script exits with anything but 0.
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
        opensslProblem = "/usr/bin/openssl is missing";
      } else {
        Result r = run(List.of(candidate.toString(), "version"), new byte[0]);
        String version = r.stdoutText().trim();
        if (r.exitCode() != 0 || !version.startsWith("OpenSSL 3.")) {
          opensslProblem =
              "/usr/bin/openssl is not a working OpenSSL 3 (found '" + version + "' " + r.stderr()
                  + ")";
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
    List<String> command = new ArrayList<>();
    command.add(openssl().toString());
    command.addAll(List.of(args));
    return run(command, stdin).requireSuccess(command).stdout();
  }

  /** Runs {@code openssl args...} and returns whatever happened. */
  public static Result tryOpenssl(byte[] stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add(openssl().toString());
    command.addAll(List.of(args));
    return run(command, stdin);
  }

  /**
   * Runs {@code command} with stdin, stdout and stderr in temporary files (no pipe deadlocks),
   * in the C.UTF-8 locale.
   */
  public static Result run(List<String> command, byte[] stdin) {
    Path in = null;
    Path out = null;
    Path err = null;
    try {
      in = Files.createTempFile("warder-interop-", ".in");
      out = Files.createTempFile("warder-interop-", ".out");
      err = Files.createTempFile("warder-interop-", ".err");
      Files.write(in, stdin);
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectInput(in.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      pb.environment().put("LC_ALL", "C.UTF-8");
      Process p = pb.start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("%s did not finish within %d s", command, TIMEOUT_SECONDS);
      }
      return new Result(
          p.exitValue(),
          Files.readAllBytes(out),
          new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    } finally {
      for (Path p : new Path[] {in, out, err}) {
        if (p != null) {
          try {
            Files.deleteIfExists(p);
          } catch (IOException e) {
            // a stray temporary file is harmless
          }
        }
      }
    }
  }
}
