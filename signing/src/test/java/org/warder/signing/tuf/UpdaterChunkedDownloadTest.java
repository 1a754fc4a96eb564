package org.warder.signing.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.signing.Digests;
import org.warder.signing.testing.RepositorySimulator;

/**
 * A target with signed chunk hashes is handed on chunk by chunk while it downloads, each chunk only
 * after it matched: over one mirror, two mirrors of which the first serves a bad chunk, and a part
 * file an earlier run left with a bad tail. Whatever happens, what was handed on is a prefix of the
 * signed file, each byte once.
 */
class UpdaterChunkedDownloadTest {
  private static final String PATH = "releases/14.2-RELEASE/amd64/base.txz";
  private static final int SIZE = ChunkHashes.MIN_SIZE;
  private static final URI BAD_MIRROR = URI.create("https://bad.test/targets/");

  @TempDir Path tmp;
  private UpdaterFixture f;
  private byte[] good;
  private TargetFile info;
  private Path dest;
  private Path part;

  /** Every write reaching the consumer, in order. */
  private final List<byte[]> handedOn = new ArrayList<>();

  /** The mirror and offset of every target request. */
  private final List<String> requests = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    f = new UpdaterFixture(tmp);
    good = new byte[4 * SIZE + 37_856];
    new Random(11).nextBytes(good);
    ChunkHashes chunks = ChunkHashes.of(new ByteArrayInputStream(good), good.length, SIZE);
    f.repo.putTargetFile(
        "targets",
        new TargetFile(
            PATH,
            good.length,
            Map.of("sha256", Digests.sha256Hex(good)),
            Optional.of(chunks.addTo(Optional.empty()))),
        good);
    f.repo.publish();
    info = f.updater().targetInfo(PATH);
    dest = f.targetDir.resolve("base.txz");
    part = f.targetDir.resolve(".base.txz.part");
  }

  /** The simulated repository, and {@code BAD_MIRROR} serving {@code bad} for the target. */
  private Fetcher mirrors(byte[] bad) {
    return ranged(
        (url, offset, maxLength, sink) -> {
          if (url.toString().startsWith(BAD_MIRROR.toString())) {
            requests.add("bad@" + offset);
            sink.write(bad, (int) offset, bad.length - (int) offset);
            return;
          }
          if (url.toString().startsWith(RepositorySimulator.TARGETS_URL.toString())) {
            requests.add("good@" + offset);
          }
          f.repo.fetchFrom(url, offset, maxLength, sink);
        });
  }

  /** A request from an offset; a whole body is the request from 0. */
  @FunctionalInterface
  private interface RangeRequest {
    void fetchFrom(URI url, long offset, long maxLength, OutputStream sink) throws IOException;
  }

  /** A fetcher that answers every request, whole or from an offset, with {@code request}. */
  private static Fetcher ranged(RangeRequest request) {
    return new Fetcher() {
      @Override
      public void fetch(URI url, long maxLength, OutputStream sink) throws IOException {
        request.fetchFrom(url, 0, maxLength, sink);
      }

      @Override
      public void fetchFrom(URI url, long offset, long maxLength, OutputStream sink)
          throws IOException {
        request.fetchFrom(url, offset, maxLength, sink);
      }
    };
  }

  private void download(Fetcher fetcher, List<URI> mirrors) throws Exception {
    Updater u = f.updater(List.of(RepositorySimulator.METADATA_URL), fetcher);
    u.targetInfo(PATH);
    u.download(
        info,
        mirrors,
        dest,
        new OutputStream() {
          @Override
          public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            handedOn.add(Arrays.copyOfRange(b, off, off + len));
          }
        });
  }

  private byte[] received() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    handedOn.forEach(all::writeBytes);
    return all.toByteArray();
  }

  private byte[] corrupt(int at) {
    byte[] bad = good.clone();
    bad[at] ^= 1;
    return bad;
  }

  @Test
  void testEveryChunkHandedOnWholeOnceItMatched() throws Exception {
    download(mirrors(good), List.of(RepositorySimulator.TARGETS_URL));
    assertThat(handedOn.stream().map(b -> b.length))
        .containsExactly(SIZE, SIZE, SIZE, SIZE, 37_856);
    assertThat(received()).isEqualTo(good);
    assertThat(dest).hasBinaryContent(good);
    assertThat(part).doesNotExist();
  }

  @Test
  void testABadChunkFromTheFirstMirror_theNextGoesOnFromTheLastGoodChunk() throws Exception {
    download(mirrors(corrupt(2 * SIZE + 5)), List.of(BAD_MIRROR, RepositorySimulator.TARGETS_URL));
    assertThat(requests).containsExactly("bad@0", "good@" + 2 * SIZE);
    assertThat(received()).as("each byte once, none of the bad chunk").isEqualTo(good);
    assertThat(dest).hasBinaryContent(good);
  }

  @Test
  void testNoConsumer_aBadChunkFromTheFirstMirror_theNextStillGoesOnFromTheLastGoodChunk()
      throws Exception {
    Updater u = f.updater(List.of(RepositorySimulator.METADATA_URL), mirrors(corrupt(3 * SIZE)));
    u.targetInfo(PATH);
    u.download(info, List.of(BAD_MIRROR, RepositorySimulator.TARGETS_URL), dest);
    assertThat(requests).containsExactly("bad@0", "good@" + 3 * SIZE);
    assertThat(dest).hasBinaryContent(good);
    assertThat(part).doesNotExist();
  }

  @Test
  void testABadChunkOnTheOnlyMirror_failsNamingIt_afterHandingOnOnlyTheGoodOnes() throws Exception {
    assertThatThrownBy(() -> download(mirrors(corrupt(3 * SIZE)), List.of(BAD_MIRROR)))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("chunk 3");
    assertThat(received()).isEqualTo(Arrays.copyOf(good, 3 * SIZE));
    assertThat(dest).doesNotExist();
    assertThat(part).as("a failed download leaves nothing").doesNotExist();
  }

  @Test
  void testALeftoverPartWithABadTail_isKeptUpToItsLastGoodChunk() throws Exception {
    byte[] leftover = Arrays.copyOf(good, 3 * SIZE + 100);
    leftover[2 * SIZE + 1] ^= 1;
    Files.write(part, leftover);
    download(mirrors(good), List.of(RepositorySimulator.TARGETS_URL));
    assertThat(requests).containsExactly("good@" + 2 * SIZE);
    assertThat(received()).isEqualTo(good);
    assertThat(dest).hasBinaryContent(good);
  }

  @Test
  void testACopyAlreadyThere_isCheckedChunkByChunk_onlyWhatFailsIsFetched() throws Exception {
    Files.write(dest, corrupt(3 * SIZE + 7));
    download(mirrors(good), List.of(RepositorySimulator.TARGETS_URL));
    assertThat(requests).containsExactly("good@" + 3 * SIZE);
    assertThat(received()).as("each byte once, the good chunks from the disk").isEqualTo(good);
    assertThat(dest).hasBinaryContent(good);
    assertThat(part).doesNotExist();
  }

  @Test
  void testABadCopyShorterThanAChunk_theOnlyMirrorIsAskedAgainFromTheStart() throws Exception {
    Files.write(dest, new byte[] {1, 2, 3});
    download(mirrors(good), List.of(RepositorySimulator.TARGETS_URL));
    assertThat(requests)
        .as("chunk 0 failed with the disk's bytes in it: not the mirror's fault")
        .containsExactly("good@3", "good@0");
    assertThat(received()).isEqualTo(good);
    assertThat(dest).hasBinaryContent(good);
  }

  @Test
  void testAGoodCopyAlreadyThere_isHandedOnWithoutARequest() throws Exception {
    Files.write(dest, good);
    download(mirrors(good), List.of(RepositorySimulator.TARGETS_URL));
    assertThat(requests).isEmpty();
    assertThat(received()).isEqualTo(good);
    assertThat(dest).hasBinaryContent(good);
  }

  @Test
  void testAFailingConsumer_stopsAtOnce_keepingTheVerifiedBytesForTheNextRun() throws Exception {
    Updater u = f.updater(List.of(RepositorySimulator.METADATA_URL), mirrors(good));
    u.targetInfo(PATH);
    IOException stopped = new IOException("xz: (stdin): Compressed data is corrupt");
    assertThatThrownBy(
            () ->
                u.download(
                    info,
                    List.of(BAD_MIRROR, RepositorySimulator.TARGETS_URL),
                    dest,
                    new OutputStream() {
                      @Override
                      public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                      }

                      @Override
                      public void write(byte[] b, int off, int len) throws IOException {
                        if (!handedOn.isEmpty()) {
                          throw stopped;
                        }
                        handedOn.add(Arrays.copyOfRange(b, off, off + len));
                      }
                    }))
        .isSameAs(stopped);
    assertThat(requests).as("no other attempt, no other mirror").containsExactly("bad@0");
    assertThat(dest).doesNotExist();
    assertThat(part).as("kept for the next run").exists();

    handedOn.clear();
    requests.clear();
    download(mirrors(good), List.of(RepositorySimulator.TARGETS_URL));
    assertThat(received()).isEqualTo(good);
    assertThat(requests).as("the part kept every byte the mirror had sent").isEmpty();
  }

  @Test
  void testACutTransfer_resumesInsideAChunkAndHandsItOnOnce() throws Exception {
    int[] calls = {0};
    Fetcher cutOnce =
        ranged(
            (url, offset, maxLength, sink) -> {
              if (!url.toString().startsWith(RepositorySimulator.TARGETS_URL.toString())) {
                f.repo.fetchFrom(url, offset, maxLength, sink);
                return;
              }
              requests.add("good@" + offset);
              if (calls[0]++ == 0) {
                int cut = SIZE + 12_345; // inside chunk 1
                sink.write(good, 0, cut);
                throw new IOException("connection reset");
              }
              f.repo.fetchFrom(url, offset, maxLength, sink);
            });
    download(cutOnce, List.of(RepositorySimulator.TARGETS_URL));
    assertThat(requests).containsExactly("good@0", "good@" + (SIZE + 12_345));
    assertThat(received()).isEqualTo(good);
  }

  @Test
  void testATargetWithoutChunks_isHandedOnWholeOnceVerified() throws Exception {
    byte[] plain = Arrays.copyOf(good, 100_000);
    f.repo.addTarget("targets", "plain/file", plain);
    f.repo.publish();
    info = f.updater().targetInfo("plain/file");
    Updater u = f.updater();
    u.targetInfo("plain/file");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    u.download(info, List.of(RepositorySimulator.TARGETS_URL), dest, out);
    assertThat(out.toByteArray()).isEqualTo(plain);
    assertThat(dest).hasBinaryContent(plain);
  }
}
