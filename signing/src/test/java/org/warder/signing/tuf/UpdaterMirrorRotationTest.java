package org.warder.signing.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.signing.testing.RepositorySimulator;

/**
 * Mirrors are asked in rounds, one attempt each per round, paced by the fetcher's retry schedule: a
 * dead mirror costs one failed attempt before the next one serves, never the fetcher's whole retry
 * deadline; when every mirror failed in a way a later attempt could fix, the round is repeated
 * after the schedule's pause, until the schedule gives up.
 */
class UpdaterMirrorRotationTest {
  private static final String PATH = "releases/14.2-RELEASE/amd64/base.txz";
  private static final URI DEAD_METADATA = URI.create("https://dead.test/metadata/");
  private static final URI DEAD_TARGETS = URI.create("https://dead.test/targets/");
  private static final URI OTHER_DEAD_METADATA = URI.create("https://dead2.test/metadata/");

  @TempDir Path tmp;
  UpdaterFixture f;
  byte[] content;

  /** Requests to the dead hosts, and the schedule's pauses. */
  final List<String> deadAsked = new ArrayList<>();

  final List<String> pauses = new ArrayList<>();
  int pausesAllowed = Integer.MAX_VALUE;

  /** Failures still to give the real repository's timestamp.json before it is served. */
  int timestampFailures;

  @BeforeEach
  void setUp() throws Exception {
    f = new UpdaterFixture(tmp);
    content = f.publishTarget(PATH, 100_000, 3);
  }

  /** Serves the simulated repository; the dead hosts fail as an unreachable server does. */
  private final Fetcher fetcher =
      new Fetcher() {
        @Override
        public void fetch(URI url, long maxLength, OutputStream sink) throws IOException {
          if (url.getHost().startsWith("dead")) {
            deadAsked.add(url.toString());
            throw new FetchGaveUpException(
                "connect to " + url.getHost() + " failed", new IOException("connection refused"));
          }
          if (url.getPath().endsWith("/timestamp.json") && timestampFailures > 0) {
            timestampFailures--;
            throw new FetchGaveUpException("503", new IOException("503 Service Unavailable"));
          }
          f.repo.fetch(url, maxLength, sink);
        }

        @Override
        public RetrySchedule retries() {
          return failure -> {
            if (pauses.size() == pausesAllowed) {
              throw new FetchGaveUpException("deadline passed: " + failure.getMessage(), failure);
            }
            pauses.add(failure.getMessage());
          };
        }
      };

  private Updater updater(URI... metadataMirrors) {
    return f.updater(List.of(metadataMirrors), fetcher);
  }

  @Test
  @DisplayName("a dead first mirror is asked once per file, the next one serves, nobody waits")
  void deadFirstMirrorIsAskedOncePerFile() throws Exception {
    Updater u = updater(DEAD_METADATA, RepositorySimulator.METADATA_URL);
    u.refresh();
    TargetFile target = u.targetInfo(PATH);
    Path dest = f.targetDir.resolve("base.txz");
    u.download(target, List.of(DEAD_TARGETS, RepositorySimulator.TARGETS_URL), dest);

    assertThat(dest).hasBinaryContent(content);
    assertThat(pauses).isEmpty();
    assertThat(deadAsked).doesNotHaveDuplicates();
    assertThat(deadAsked)
        .contains(DEAD_METADATA + "timestamp.json", DEAD_METADATA + "2.snapshot.json")
        .anyMatch(u1 -> u1.startsWith(DEAD_TARGETS.toString()) && u1.endsWith(".base.txz"));
  }

  @Test
  @DisplayName("the only mirror failing for now is asked again after each of the schedule's pauses")
  void onlyMirrorIsAskedAgainAfterPauses() throws Exception {
    timestampFailures = 2;
    Updater.RefreshResult result = updater(RepositorySimulator.METADATA_URL).refresh();

    assertThat(result.timestampVersion()).isEqualTo(2);
    assertThat(pauses).containsExactly("503 Service Unavailable", "503 Service Unavailable");
  }

  @Test
  @DisplayName(
      "when the schedule gives up, its failure is thrown with each mirror's last one attached")
  void scheduleGivingUpEndsTheRotation() {
    pausesAllowed = 2;
    FetchGaveUpException e =
        catchThrowableOfType(
            FetchGaveUpException.class,
            () -> updater(DEAD_METADATA, OTHER_DEAD_METADATA).refresh());

    assertThat(e).hasMessage("deadline passed: connection refused");
    assertThat(e.getSuppressed())
        .extracting(Throwable::getMessage)
        .containsExactly("connect to dead.test failed", "connect to dead2.test failed");
    assertThat(pauses).hasSize(2);
    assertThat(deadAsked)
        .as("three rounds of one attempt per mirror")
        .containsExactly(
            DEAD_METADATA + "2.root.json",
            OTHER_DEAD_METADATA + "2.root.json",
            DEAD_METADATA + "2.root.json",
            OTHER_DEAD_METADATA + "2.root.json",
            DEAD_METADATA + "2.root.json",
            OTHER_DEAD_METADATA + "2.root.json");
  }

  @Test
  @DisplayName("a mirror that has no newer root ends the root search while another is unreachable")
  void noNewerRootFromOneMirrorWhileAnotherIsDown() throws Exception {
    Updater.RefreshResult result =
        updater(RepositorySimulator.METADATA_URL, DEAD_METADATA).refresh();

    assertThat(result.rootVersion()).isEqualTo(1);
    assertThat(pauses).isEmpty();
    assertThat(deadAsked).containsExactly(DEAD_METADATA + "2.root.json");
  }

  @Test
  @DisplayName("a mirror that answered for good is not asked again in later rounds")
  void definiteAnswersAreNotAskedAgain() throws Exception {
    f.repo.remove("timestamp.json");
    pausesAllowed = 1;
    FetchGaveUpException e =
        catchThrowableOfType(
            FetchGaveUpException.class,
            () -> updater(RepositorySimulator.METADATA_URL, DEAD_METADATA).refresh());

    assertThat(e).hasMessage("deadline passed: connection refused");
    assertThat(e.getSuppressed()).hasSize(2);
    assertThat(e.getSuppressed()[0]).isInstanceOf(FetchStatusException.class);
    assertThat(f.repo.requests()).containsOnlyOnce("timestamp.json");
    assertThat(deadAsked)
        .containsExactly(
            DEAD_METADATA + "2.root.json",
            DEAD_METADATA + "timestamp.json",
            DEAD_METADATA + "timestamp.json");
  }
}
