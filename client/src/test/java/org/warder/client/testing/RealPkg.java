package org.warder.client.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * FreeBSD's real pkg(8) 2.8.4, built for Linux by {@code ../shared/tools/freebsd-pkg/build.sh}
 * (which {@code .ci/run} runs, and which caches the build between runs on one machine). Found at
 * {@code $WARDER_TEST_PKG} (what {@code .ci/run} exports), else in build.sh's default cache {@code
 * ${XDG_CACHE_HOME:-~/.cache}/warder-tools/pkg-2.8.4-*}. When it is not built the test fails under
 * {@code CI=true} and is skipped loudly elsewhere.
 *
 * <p>The binary is linked against the host's shared libraries: {@link #jailFiles} gives it with
 * those libraries and its loader, to be placed in a busybox release so that the jail's own pkg is
 * the real one and runs inside the sandbox as FreeBSD's runs inside a jail ({@code pkg -j}).
 */
public final class RealPkg {
  /** The ABI test releases report, as a FreeBSD 13.4 system does; {@code ${ABI}} expands to it. */
  public static final String ABI = "FreeBSD:13:amd64";

  private static final String OSVERSION = "1304000";
  private static final Pattern LDD_LINE =
      Pattern.compile("^\\s*(?:\\S+\\s+=>\\s+)?(/\\S+)\\s+\\(0x[0-9a-f]+\\)$");

  private final Path binary;

  private RealPkg(Path binary) {
    this.binary = binary;
  }

  /** The built pkg; fails under CI, skips loudly elsewhere, when there is none. */
  public static RealPkg require() {
    String configured = System.getenv("WARDER_TEST_PKG");
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      if (!Files.isExecutable(p)) {
        throw new IllegalStateException(
            "WARDER_TEST_PKG is " + configured + ", expected the pkg binary build.sh printed");
      }
      return new RealPkg(p);
    }
    Optional<Path> cached = cached();
    if (cached.isPresent()) {
      return new RealPkg(cached.get());
    }
    Facility.missing(
        "REAL PKG",
        "FreeBSD's pkg(8) is not built: run ../shared/tools/freebsd-pkg/build.sh (about 4 minutes"
            + " on 2 cores, cached under ~/.cache/warder-tools) or set WARDER_TEST_PKG to its pkg");
    throw new IllegalStateException("unreachable: Facility.missing skips or fails");
  }

  private static Optional<Path> cached() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cache =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg, "warder-tools")
            : Path.of(System.getProperty("user.home"), ".cache", "warder-tools");
    if (!Files.isDirectory(cache)) {
      return Optional.empty();
    }
    try (Stream<Path> builds = Files.list(cache)) {
      return builds
          .filter(d -> d.getFileName().toString().startsWith("pkg-2.8.4-"))
          .filter(d -> Files.exists(d.resolve(".built")))
          .map(d -> d.resolve("build/src/pkg"))
          .filter(Files::isExecutable)
          .sorted()
          .findFirst();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + cache, e);
    }
  }

  /** The binary on this host. */
  public Path binary() {
    return binary;
  }

  /**
   * What a release needs for the jail's {@code pkg} to be this one (path in the root → content):
   * {@code usr/sbin/pkg} and the shared libraries and loader {@code ldd} names, at the paths it
   * gives (their content, links followed).
   */
  public Map<String, byte[]> jailFiles() throws IOException, InterruptedException {
    Map<String, byte[]> files = new TreeMap<>();
    files.put("usr/sbin/pkg", Files.readAllBytes(binary));
    for (Path lib : sharedLibraries()) {
      files.put(lib.toString().substring(1), Files.readAllBytes(lib));
    }
    return files;
  }

  /**
   * The configuration files a release needs besides {@link #jailFiles} (path in the root →
   * content): {@code usr/local/etc/pkg.conf} with the ABI and OSVERSION a FreeBSD 13.4 system
   * reports (which {@code ${ABI}} in a packagesite expands to), and the {@code etc/passwd} and
   * {@code etc/group} of FreeBSD's base with user {@code nobody}, to which pkg drops privileges to
   * check a catalogue's signature.
   */
  public static Map<String, byte[]> releaseFiles() {
    return Map.of(
        "usr/local/etc/pkg.conf",
        utf8("ABI = \"" + ABI + "\";\nOSVERSION = " + OSVERSION + ";\n"),
        "etc/passwd",
        utf8(
            "root:*:0:0:Charlie &:/root:/bin/sh\n"
                + "nobody:*:65534:65534:Unprivileged user:/nonexistent:/usr/sbin/nologin\n"),
        "etc/group",
        utf8("wheel:*:0:root\nnobody:*:65534:\n"));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private List<Path> sharedLibraries() throws IOException, InterruptedException {
    Process ldd = new ProcessBuilder("ldd", binary.toString()).redirectErrorStream(true).start();
    String out = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!ldd.waitFor(1, TimeUnit.MINUTES) || ldd.exitValue() != 0) {
      throw new IOException("ldd " + binary + " failed: " + out);
    }
    List<Path> libs = new ArrayList<>();
    for (String line : out.split("\n")) {
      Matcher m = LDD_LINE.matcher(line);
      if (m.matches()) {
        libs.add(Path.of(m.group(1)));
      }
    }
    return libs.stream().distinct().toList();
  }

  /**
   * Runs this pkg on the host with {@code args} (e.g. {@code create}, {@code repo}) in {@code dir},
   * its configuration kept away from the host's; returns its output, failing unless it exits 0.
   */
  public String run(Path dir, List<String> args) throws IOException, InterruptedException {
    Path state = Files.createDirectories(dir.resolve(".pkg-host"));
    List<String> argv = new ArrayList<>(List.of(binary.toString()));
    argv.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("ABI", ABI);
    pb.environment().put("OSVERSION", OSVERSION);
    pb.environment().put("PKG_DBDIR", Files.createDirectories(state.resolve("db")).toString());
    pb.environment()
        .put("PKG_CACHEDIR", Files.createDirectories(state.resolve("cache")).toString());
    pb.environment().put("REPOS_DIR", Files.createDirectories(state.resolve("repos")).toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", argv) + " failed in " + dir + ":\n" + out);
    }
    return out;
  }
}
