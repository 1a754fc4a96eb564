package org.warder.signing.tuf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.signing.testing.RepositorySimulator;

/**
 * Targets metadata is stored without waiting for the disk ({@link MetadataDirectory#writeTargets}),
 * so a crash may leave a role's local copy stale, cut short or empty. Such a copy must cost a
 * download and nothing else: the snapshot's hashes refuse it, the role is fetched again, the search
 * goes on and the good copy replaces the broken one.
 */
class UpdaterLocalCopiesTest {
  @TempDir Path tmp;
  private UpdaterFixture f;
  private RepositorySimulator repo;

  @BeforeEach
  void setUp() throws Exception {
    f = new UpdaterFixture(tmp);
    repo = f.repo;
    repo.delegate(
        "targets", DelegatedRole.withPaths("acme", List.of(), 1, false, List.of("acme/*")));
    repo.addTarget("acme", "acme/x", "x".getBytes(StandardCharsets.UTF_8));
    repo.publish();
    f.updater().targetInfo("acme/x");
  }

  @Test
  @DisplayName("an empty local targets.json (a crash after an unsynced write) is fetched again")
  void testRefresh_emptyLocalTargetsIsFetchedAgain() throws Exception {
    Path targets = f.metadataDir.resolve("targets.json");
    byte[] good = Files.readAllBytes(targets);
    Files.write(targets, new byte[0]);
    repo.clearRequests();

    f.refresh();

    assertThat(repo.requests()).contains("2.targets.json");
    assertThat(Files.readAllBytes(targets)).isEqualTo(good);
  }

  @Test
  @DisplayName("a delegated role's local copy cut short is fetched again and the search goes on")
  void testTargetInfo_truncatedDelegatedRoleIsFetchedAgain() throws Exception {
    Path acme = f.metadataDir.resolve("acme.json");
    byte[] good = Files.readAllBytes(acme);
    Files.write(acme, Arrays.copyOf(good, good.length / 2));
    repo.clearRequests();

    TargetFile found = f.updater().targetInfo("acme/x");

    assertThat(found.path()).isEqualTo("acme/x");
    assertThat(repo.requests()).contains("2.acme.json");
    assertThat(Files.readAllBytes(acme)).isEqualTo(good);
  }

  @Test
  @DisplayName("storing targets metadata leaves only the role files, no temporary file")
  void testTargetInfo_leavesNoTemporaryFiles() throws Exception {
    try (Stream<Path> files = Files.list(f.metadataDir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "root.json", "timestamp.json", "snapshot.json", "targets.json", "acme.json");
    }
  }
}
