package org.warder.signing.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.signing.testing.RepositorySimulator;

/**
 * Target downloads are hashed while they arrive, bytes of an earlier attempt included: whatever mix
 * of a leftover {@code .part} file and fresh bytes makes the file, only the signed bytes are moved
 * into place.
 */
class UpdaterDownloadTest {
  private static final String PATH = "releases/14.2-RELEASE/amd64/base.txz";

  @TempDir Path tmp;
  UpdaterFixture f;
  byte[] good;
  TargetFile info;
  Path dest;
  Path part;

  @BeforeEach
  void setUp() throws Exception {
    f = new UpdaterFixture(tmp);
    good = f.publishTarget(PATH, 300_000, 7);
    info = f.updater().targetInfo(PATH);
    dest = f.targetDir.resolve("base.txz");
    part = f.targetDir.resolve(".base.txz.part");
    f.repo.clearRequests();
  }

  /**
   * Downloads the target through {@code fetcher}, from {@code first} mirrors, then the real one.
   */
  private void download(Fetcher fetcher, URI... first) throws Exception {
    Updater u = f.updater(List.of(RepositorySimulator.METADATA_URL), fetcher);
    u.targetInfo(PATH);
    List<URI> mirrors = new ArrayList<>(List.of(first));
    mirrors.add(RepositorySimulator.TARGETS_URL);
    u.download(info, mirrors, dest);
  }

  @Test
  @DisplayName(
      "a mirror given up on after the fetcher's retry deadline is left at once for the next one")
  void testDownload_aMirrorGivenUpOnIsAskedOnceThenTheNextServes() throws Exception {
    URI down = URI.create("https://down.test/targets/");
    List<URI> asked = new ArrayList<>();
    download(
        (url, maxLength, sink) -> {
          if (url.toString().startsWith(down.toString())) {
            asked.add(url);
            throw new FetchGaveUpException(
                "connection refused; gave up after 9 attempts in 60 s",
                new IOException("connection refused"));
          }
          f.repo.fetch(url, maxLength, sink);
        },
        down);
    assertThat(dest).hasBinaryContent(good);
    assertThat(asked).as("asked again, it would wait the whole deadline again").hasSize(1);
  }

  @Test
  @DisplayName(
      "a downloaded target is private (0600, in new directories 0700): it may hold a jail's files")
  void testDownload_targetIsPrivate() throws Exception {
    dest = f.targetDir.resolve("cache/releases/base.txz");
    download(f.repo);
    assertThat(dest).hasBinaryContent(good);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dest)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dest.getParent())))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(f.targetDir.resolve("cache"))))
        .isEqualTo("rwx------");
  }

  @Test
  @DisplayName(
      "a leftover .part with the first signed bytes is resumed, and the whole file verified")
  void testDownload_resumesGoodPart() throws Exception {
    Files.write(part, Arrays.copyOf(good, 123_457));
    download(f.repo);
    assertThat(dest).hasBinaryContent(good);
    assertThat(part).doesNotExist();
  }

  @Test
  @DisplayName(
      "a leftover .part with other bytes fails the signed hash: nothing is moved, the part is deleted")
  void testDownload_badPartRefused() throws Exception {
    byte[] prefix = Arrays.copyOf(good, 100_000);
    prefix[99_999] ^= 1;
    Files.write(part, prefix);
    assertThatThrownBy(() -> download(f.repo)).isInstanceOf(DigestMismatchException.class);
    assertThat(dest).doesNotExist();
    assertThat(part).doesNotExist();
  }

  @Test
  @DisplayName("a complete leftover .part is verified and moved without a request")
  void testDownload_completePartNoRequest() throws Exception {
    Files.write(part, good);
    download(f.repo);
    assertThat(dest).hasBinaryContent(good);
    assertThat(f.repo.requests()).noneMatch(r -> r.startsWith("targets/"));
  }

  @Test
  @DisplayName(
      "a leftover .part longer than the signed length is discarded and the target fetched whole")
  void testDownload_overlongPartDiscarded() throws Exception {
    byte[] longer = Arrays.copyOf(good, good.length + 10);
    Files.write(part, longer);
    download(f.repo);
    assertThat(dest).hasBinaryContent(good);
  }

  @Test
  @DisplayName("a transfer cut in the middle is resumed by the next attempt and verified whole")
  void testDownload_cutTransferResumed() throws Exception {
    int[] calls = {0};
    Fetcher cutOnce =
        new Fetcher() {
          @Override
          public void fetch(URI url, long maxLength, OutputStream sink) throws IOException {
            if (!url.toString().startsWith(RepositorySimulator.TARGETS_URL.toString())
                || calls[0]++ > 0) {
              f.repo.fetch(url, maxLength, sink);
              return;
            }
            f.repo.fetch(
                url,
                maxLength,
                new OutputStream() {
                  private long written;

                  @Override
                  public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                  }

                  @Override
                  public void write(byte[] b, int off, int len) throws IOException {
                    int n = (int) Math.min(len, 77_777 - written);
                    sink.write(b, off, n);
                    written += n;
                    if (n < len) {
                      throw new IOException("connection reset");
                    }
                  }
                });
          }
        };
    download(cutOnce);
    assertThat(calls[0]).isEqualTo(2);
    assertThat(dest).hasBinaryContent(good);
  }

  @Test
  @DisplayName("a transfer cut and resumed with other bytes fails the signed hash")
  void testDownload_resumedWithOtherBytesRefused() throws Exception {
    byte[] evil = good.clone();
    evil[200_000] ^= 1;
    Files.write(part, Arrays.copyOf(good, 150_000));
    f.repo.serve(
        "targets/releases/14.2-RELEASE/amd64/" + info.sha256().orElseThrow() + ".base.txz", evil);
    assertThatThrownBy(() -> download(f.repo)).isInstanceOf(DigestMismatchException.class);
    assertThat(dest).doesNotExist();
    assertThat(part).doesNotExist();
  }
}
