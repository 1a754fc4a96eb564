package org.warder.signing.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.warder.signing.MalformedJsonException;
import org.warder.signing.StrictJson;

/**
 * A TUF 1.0 repository that warder did not write: {@code signing/src/test/tufjs/make-repo.js}
 * builds one with tuf-js's metadata model ({@code @tufjs/models}, pinned in that directory's
 * package-lock.json) and Node's crypto. It holds {@code metadata/}, {@code targets/}, the initial
 * {@code trusted-root.json} and {@code expected.json}, which says what a client must find.
 *
 * <p>Needs Node.js and npm ({@code npm ci} runs in that directory when its node_modules is
 * missing). Without them, or when {@code npm ci} fails, the repository is unavailable: under CI
 * (see {@link ExternalTools#inCi()}) that is a failure, elsewhere a message on stderr, and each
 * test then skips itself with {@link #assumeAvailable(String)}. A failing generator is always a
 * failure.
 */
public final class TufJsRepository {
  private static final long NPM_TIMEOUT_MINUTES = 5;
  private static final long NODE_TIMEOUT_MINUTES = 2;
  private static final String HINT =
      " (install Node.js >= 20.17 and npm to run the tuf-js interoperability tests)";

  private final Path root;
  private final String unavailable;

  private TufJsRepository(Path root, String unavailable) {
    this.root = root;
    this.unavailable = unavailable;
  }

  /**
   * Generates the repository into {@code workDir/repo}, with the tools' logs beside it in {@code
   * workDir}; call it once per test class (e.g. in {@code @BeforeAll} with a static
   * {@code @TempDir}) and copy the result per test with {@link #copyTo(Path)}.
   */
  public static TufJsRepository generate(Path workDir) throws IOException, InterruptedException {
    Path tufjs = generatorDir();
    if (!Files.isDirectory(tufjs.resolve("node_modules"))) {
      String node = toolVersion(workDir, "node");
      String npm = toolVersion(workDir, "npm");
      if (node == null || npm == null) {
        return unavailable(
            "Node.js and npm are needed to build the tuf-js repository; found node "
                + (node == null ? "missing" : node)
                + ", npm "
                + (npm == null ? "missing" : npm));
      }
      ProcessResult ci =
          run(
              tufjs,
              workDir.resolve("npm-ci.log"),
              NPM_TIMEOUT_MINUTES,
              "npm",
              "ci",
              "--no-audit",
              "--no-fund");
      if (!ci.ok()) {
        return unavailable(
            "`npm ci` in " + tufjs + " failed (" + ci.describe() + "):\n" + ci.output());
      }
    } else if (toolVersion(workDir, "node") == null) {
      return unavailable(
          "Node.js is needed to build the tuf-js repository; `node --version` did not run");
    }
    Path repo = workDir.resolve("repo");
    ProcessResult make =
        run(
            tufjs,
            workDir.resolve("make-repo.log"),
            NODE_TIMEOUT_MINUTES,
            "node",
            "make-repo.js",
            repo.toString());
    // A failing generator is a real failure, never a skip.
    assertThat(make.ok()).as("node make-repo.js: %s%n%s", make.describe(), make.output()).isTrue();
    return new TufJsRepository(repo, null);
  }

  /** Fails under CI; elsewhere says why on stderr and returns a repository every test skips. */
  private static TufJsRepository unavailable(String reason) {
    ExternalTools.reportMissing(reason + HINT);
    return new TufJsRepository(null, reason);
  }

  /** Whether the repository was generated. */
  public boolean available() {
    return unavailable == null;
  }

  /**
   * Aborts the calling test unless the repository was generated: called per test (in
   * {@code @BeforeEach}), so that every test is reported as skipped rather than silently absent.
   */
  public void assumeAvailable(String what) {
    // Reached only off CI: under CI=true, unavailable(...) already failed
    // (ExternalTools.reportMissing),
    // and it printed a loud SKIPPING banner here, so a machine without Node.js skips, never passes
    // silently.
    Assumptions.assumeTrue(unavailable == null, () -> what + " skipped: " + unavailable);
  }

  /** The generated repository, to be read only: tests tamper with a {@link #copyTo(Path) copy}. */
  public Path root() {
    assertThat(root).as("the tuf-js repository was generated").isNotNull();
    return root;
  }

  /** Copies the generated repository to {@code dir} (which may exist) and returns {@code dir}. */
  public Path copyTo(Path dir) throws IOException {
    TestFiles.copyTree(root(), dir);
    return dir;
  }

  /** The generator's {@code expected.json}: versions, key ids and every target's hashes. */
  public JsonNode expected() throws IOException {
    Path file = root().resolve("expected.json");
    try {
      return StrictJson.parse(Files.readAllBytes(file));
    } catch (MalformedJsonException e) {
      throw new AssertionError(file + " is not strict JSON: " + e.getMessage(), e);
    }
  }

  /**
   * {@code signing/src/test/tufjs}, found from any module of the reactor or its root: the nearest
   * directory at or above the working directory (Maven's {@code basedir}) that holds it.
   */
  public static Path generatorDir() {
    Path start = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("signing/src/test/tufjs");
      if (Files.isRegularFile(candidate.resolve("make-repo.js"))) {
        return candidate;
      }
    }
    throw new AssertionError("no signing/src/test/tufjs/make-repo.js at or above " + start);
  }

  /** {@code tool --version}, or null when it cannot run. */
  private static String toolVersion(Path workDir, String tool) throws InterruptedException {
    try {
      ProcessResult r = run(workDir, workDir.resolve(tool + "-version.log"), 1, tool, "--version");
      return r.ok() ? r.output().strip() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private record ProcessResult(int exitCode, boolean timedOut, String output) {
    boolean ok() {
      return !timedOut && exitCode == 0;
    }

    String describe() {
      return timedOut ? "timed out" : "exit code " + exitCode;
    }
  }

  /** Runs {@code command} in {@code dir}, stdout and stderr together into {@code log}. */
  private static ProcessResult run(Path dir, Path log, long timeoutMinutes, String... command)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
            .start();
    boolean finished = process.waitFor(timeoutMinutes, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    return new ProcessResult(finished ? process.exitValue() : -1, !finished, output);
  }

  private static File nullDevice() {
    return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
