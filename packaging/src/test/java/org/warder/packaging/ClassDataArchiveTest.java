package org.warder.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The launchers bin/warder and bin/warder-registry with the class-data archive that
 * class-data-archive.sh writes: a fresh one serves warder's classes from the archive
 * (BouncyCastle's too, whose jars the build writes unsigned into lib/), and a corrupt, stale or
 * missing one changes nothing the user sees (same output, nothing on stderr, same exit status).
 * Each executable runs from a copy of the checkout's layout (bin/, the jar, its lib/), so that the
 * jar's time can be changed without touching the build's.
 */
class ClassDataArchiveTest {
  private static final Path TOP = Path.of("..").toAbsolutePath().normalize();

  /** When the copied jar was "built": before any archive the test writes. */
  private static final Instant BUILT = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir static Path top;

  private record Layout(Path launcher, Path jar, Path archive, String optsVariable) {}

  @BeforeAll
  static void copyTheLayoutsAndWriteTheArchives() throws Exception {
    // the registry first: the client's training sets up TUF trust from the registry's jar beside
    for (String kind : List.of("registry", "client")) {
      Layout layout = layout(kind);
      Path module = TOP.resolve(layout.jar().getParent().getParent().getFileName().toString());
      Files.createDirectories(layout.launcher().getParent());
      Files.createDirectories(layout.jar().getParent());
      Files.copy(TOP.resolve("bin").resolve(layout.launcher().getFileName()), layout.launcher());
      Files.copy(module.resolve("target").resolve(layout.jar().getFileName()), layout.jar());
      Files.createSymbolicLink(
          layout.jar().resolveSibling("lib"), module.resolve("target").resolve("lib"));
      Files.setLastModifiedTime(layout.jar(), FileTime.from(BUILT));
      Shell.Result made =
          Shell.run(
              List.of(
                  "sh",
                  TOP.resolve("packaging").resolve("class-data-archive.sh").toString(),
                  kind,
                  layout.jar().getParent().toString()));
      assertThat(made.exit()).as(made.err()).isZero();
      assertThat(layout.archive()).isRegularFile();
    }
  }

  private static Layout layout(String kind) {
    boolean client = kind.equals("client");
    String name = client ? "warder" : "warder-registry";
    Path target = top.resolve(client ? "client" : "registry-server").resolve("target");
    return new Layout(
        top.resolve("bin").resolve(name),
        target.resolve(name + ".jar"),
        target.resolve(name + ".jsa"),
        client ? "WARDER_JAVA_OPTS" : "WARDER_REGISTRY_JAVA_OPTS");
  }

  @ParameterizedTest
  @ValueSource(strings = {"client", "registry"})
  void aFreshArchiveServesTheExecutablesOwnClasses(String kind) throws Exception {
    Layout layout = layout(kind);
    Run run = run(layout);

    assertThat(run.result().exit()).isZero();
    assertThat(run.result().err()).isEmpty();
    assertThat(run.result().out()).startsWith(layout.launcher().getFileName() + " ");
    assertThat(run.sharedOwnClasses())
        .as("org.warder classes mapped from the archive")
        .isPositive();
  }

  @ParameterizedTest
  @ValueSource(strings = {"client", "registry"})
  void aCorruptStaleOrMissingArchiveChangesNothingTheUserSees(String kind) throws Exception {
    Layout layout = layout(kind);
    Path kept = layout.archive().resolveSibling("kept.jsa");
    Files.move(layout.archive(), kept);
    try {
      Run missing = run(layout);
      Shell.Result expected = missing.result();
      assertThat(expected.exit()).isZero();
      assertThat(expected.err()).isEmpty();
      assertThat(missing.sharedOwnClasses()).isZero();

      byte[] noise = new byte[1 << 20];
      new Random(13).nextBytes(noise);
      Files.write(layout.archive(), noise);
      Run corrupt = run(layout);
      assertThat(corrupt.result()).as("a corrupt archive").isEqualTo(expected);
      assertThat(corrupt.sharedOwnClasses()).isZero();

      Files.copy(kept, layout.archive(), StandardCopyOption.REPLACE_EXISTING);
      byte[] half = Files.readAllBytes(layout.archive());
      Files.write(layout.archive(), Arrays.copyOf(half, half.length / 2));
      Run truncated = run(layout);
      assertThat(truncated.result()).as("a truncated archive").isEqualTo(expected);
      assertThat(truncated.sharedOwnClasses()).isZero();

      // the jar rebuilt after the archive was written: the launcher leaves the archive out
      Files.copy(kept, layout.archive(), StandardCopyOption.REPLACE_EXISTING);
      Files.setLastModifiedTime(layout.archive(), FileTime.from(BUILT));
      Files.setLastModifiedTime(layout.jar(), FileTime.from(BUILT.plusSeconds(60)));
      Run stale = run(layout);
      assertThat(stale.result()).as("an archive older than the jar").isEqualTo(expected);
      assertThat(stale.sharedOwnClasses()).isZero();
    } finally {
      Files.setLastModifiedTime(layout.jar(), FileTime.from(BUILT));
      Files.move(kept, layout.archive(), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"client", "registry"})
  void theArchiveHoldsTheSignatureLibrarysClasses(String kind) throws Exception {
    assertThat(archived(layout(kind)).filter(c -> c.startsWith("org.bouncycastle.")).count())
        .as("BouncyCastle classes in the archive (a signed jar's are left out: lib/ is unsigned)")
        .isPositive();
  }

  @Test
  void theClientArchiveHoldsTheClassesOfARegistrysUsers() throws Exception {
    // trained against a registry served for the runs: the answer's headers were read, a
    // timestamp was verified (a refresh that cannot connect loads neither), the repository was
    // recorded and read back (the state files' JSON binding) and a release looked up
    assertThat(archived(layout("client")))
        .contains(
            "okhttp3.internal.http1.HeadersReader",
            "org.warder.signing.tuf.Timestamp",
            "com.fasterxml.jackson.databind.deser.BeanDeserializer",
            "org.warder.client.release.ReleaseFetcher");
  }

  /** The names of the classes in the executable's archive. */
  private static Stream<String> archived(Layout layout) throws Exception {
    Shell.Result listed =
        Shell.run(
            List.of(
                "java",
                "-XX:SharedArchiveFile=" + layout.archive(),
                "-XX:+PrintSharedArchiveAndExit",
                "-XX:+PrintSharedDictionary",
                "-cp",
                layout.jar().toString()));
    assertThat(listed.exit()).as(listed.err()).isZero();
    // lines such as "   123: org.warder.client.cli.WarderMain app"
    return listed
        .out()
        .lines()
        .map(String::trim)
        .filter(l -> l.matches("\\d+: \\S+ .*"))
        .map(l -> l.split(" ")[1]);
  }

  private record Run(Shell.Result result, long sharedOwnClasses) {}

  /** {@code --version} through the launcher, the classes it loaded logged to a file. */
  private Run run(Layout layout) throws IOException, InterruptedException {
    Path log = Files.createTempFile(top, "class-load", ".log");
    List<String> argv = new ArrayList<>();
    argv.add("env");
    argv.add(layout.optsVariable() + "=-Xlog:class+load=info:file=" + log);
    argv.add(layout.launcher().toString());
    argv.add("--version");
    Shell.Result result = Shell.run(argv);
    List<String> loaded = Files.readAllLines(log, StandardCharsets.UTF_8);
    Files.delete(log);
    assertThat(loaded).as("the class-load log of " + argv).isNotEmpty();
    long shared =
        loaded.stream()
            .filter(l -> l.contains(" org.warder.") && l.contains("source: shared objects file"))
            .count();
    return new Run(result, shared);
  }
}
