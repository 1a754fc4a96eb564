package org.warder.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.testing.CliRun;
import org.warder.signing.testing.RepositorySimulator;
import org.warder.signing.testing.StaticHttpServer;
import org.warder.signing.testing.TestFiles;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.TargetFile;

/**
 * {@code warder tuf} end to end over real HTTP: a repository written as static files and served by
 * a web server, and the CLI with the arguments and exit codes of the tuf-conformance client.
 */
class TufCommandTest {
  @TempDir Path tmp;
  RepositorySimulator repo;
  Path served;
  Path metadataDir;
  Path targetDir;
  Path rootFile;

  @BeforeEach
  void setUp() throws Exception {
    repo = new RepositorySimulator(Instant.now());
    served = tmp.resolve("www");
    metadataDir = tmp.resolve("md");
    targetDir = tmp.resolve("out");
    rootFile = tmp.resolve("root.json");
    Files.write(rootFile, repo.rootBytes(1));
  }

  @Test
  void testInit_makesNoRequestAndStoresRoot() throws Exception {
    repo.writeTo(served);
    try (StaticHttpServer server = new StaticHttpServer(served)) {
      CliRun run = TufCli.init(metadataDir, rootFile);
      assertThat(run.exitCode()).isZero();
      assertThat(server.requests()).isEmpty();
      assertThat(metadataDir.resolve("root.json")).hasBinaryContent(repo.rootBytes(1));
    }
  }

  @Test
  void testInit_refusesRootNotSignedByItself() throws Exception {
    byte[] forged =
        Metadata.of(repo.root()).signedBy(List.of(Ed25519SigningKey.generate())).toBytes();
    Files.write(rootFile, forged);
    CliRun run = TufCli.init(metadataDir, rootFile);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("warder: ").contains("root v1").hasLineCount(1);
    assertThat(metadataDir.resolve("root.json")).doesNotExist();
  }

  @Test
  void testRefresh_requestsAndStoresUnversionedFiles() throws Exception {
    repo.writeTo(served);
    try (StaticHttpServer server = new StaticHttpServer(served)) {
      assertThat(TufCli.init(metadataDir, rootFile).exitCode()).isZero();
      CliRun run = TufCli.run(metadataDir, server, "refresh");
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(server.requests())
          .containsExactly(
              "/metadata/2.root.json",
              "/metadata/timestamp.json",
              "/metadata/1.snapshot.json",
              "/metadata/1.targets.json");
      try (Stream<Path> files = Files.list(metadataDir)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder(
                "root.json", "timestamp.json", "snapshot.json", "targets.json");
      }
    }
  }

  @Test
  void testDownload_inOrderCachedAndReplacedWhenChanged() throws Exception {
    repo.addTarget("targets", "a/file one.txt", "one".getBytes(StandardCharsets.UTF_8));
    repo.addTarget("targets", "b.txt", "bee".getBytes(StandardCharsets.UTF_8));
    repo.publish();
    repo.writeTo(served);
    try (StaticHttpServer server = new StaticHttpServer(served)) {
      TufCli.init(metadataDir, rootFile);
      CliRun run = TufCli.download(metadataDir, server, targetDir, "a/file one.txt", "b.txt");
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(targetDir.resolve("a%2Ffile%20one.txt")).hasContent("one");
      assertThat(targetDir.resolve("b.txt")).hasContent("bee");

      server.clearRequests();
      assertThat(TufCli.download(metadataDir, server, targetDir, "b.txt").exitCode()).isZero();
      assertThat(server.requests()).noneMatch(r -> r.startsWith("/targets/"));

      repo.addTarget("targets", "b.txt", "bee, version 2".getBytes(StandardCharsets.UTF_8));
      repo.publish();
      repo.writeTo(served);
      assertThat(TufCli.download(metadataDir, server, targetDir, "b.txt").exitCode()).isZero();
      assertThat(targetDir.resolve("b.txt")).hasContent("bee, version 2");
    }
  }

  @Test
  void testDownload_stopsAtFirstFailureAndKeepsNothingOfIt() throws Exception {
    TargetFile good =
        repo.addTarget("targets", "good.txt", "good".getBytes(StandardCharsets.UTF_8));
    TargetFile bad = repo.addTarget("targets", "bad.txt", "bad!".getBytes(StandardCharsets.UTF_8));
    repo.addTarget("targets", "later.txt", "later".getBytes(StandardCharsets.UTF_8));
    repo.publish();
    repo.writeTo(served);
    Files.writeString(served.resolve("targets/" + bad.sha256().orElseThrow() + ".bad.txt"), "BAD!");
    try (StaticHttpServer server = new StaticHttpServer(served)) {
      TufCli.init(metadataDir, rootFile);
      CliRun run =
          TufCli.download(metadataDir, server, targetDir, "good.txt", "bad.txt", "later.txt");
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err())
          .contains("bad.txt")
          .contains(bad.sha256().orElseThrow())
          .hasLineCount(1);
      assertThat(TestFiles.digests(targetDir)).containsOnlyKeys("good.txt");
      assertThat(server.requests()).noneMatch(r -> r.contains("later.txt"));
      assertThat(good.length()).isEqualTo(4);
    }
  }

  @Test
  void testRefresh_tamperedTimestampExitsOneAndKeepsTrustedMetadata() throws Exception {
    repo.writeTo(served);
    try (StaticHttpServer server = new StaticHttpServer(served)) {
      TufCli.init(metadataDir, rootFile);
      assertThat(TufCli.run(metadataDir, server, "refresh").exitCode()).isZero();
      Map<String, String> before = TestFiles.digests(metadataDir);
      repo.publishTimestamp();
      repo.writeTo(served);
      Path ts = served.resolve("metadata/timestamp.json");
      Files.writeString(ts, Files.readString(ts).replace("\"version\":2", "\"version\":3"));
      CliRun run = TufCli.run(metadataDir, server, "refresh");
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).contains("timestamp").contains("threshold").hasLineCount(1);
      assertThat(TestFiles.digests(metadataDir)).isEqualTo(before);
    }
  }

  @Test
  void testTuf_usageErrorsExitOne() {
    assertThat(CliRun.of(WarderMain::run, "tuf", "refresh").exitCode()).isEqualTo(1);
    assertThat(
            CliRun.of(WarderMain::run, "tuf", "--metadata-dir", tmp.toString(), "bogus").exitCode())
        .isEqualTo(1);
    assertThat(CliRun.of(WarderMain::run, "--no-such-option").exitCode()).isEqualTo(2);
  }

  @Test
  void testHelpAndVersion() {
    CliRun help = CliRun.of(WarderMain::run, "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Usage: warder").contains("tuf");
    CliRun version = CliRun.of(WarderMain::run, "--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("warder ");
    assertThat(CliRun.of(WarderMain::run, "tuf", "--help").out())
        .contains("--metadata-dir")
        .contains("download");
  }
}
