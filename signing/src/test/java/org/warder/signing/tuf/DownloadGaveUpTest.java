package org.warder.signing.tuf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.signing.testing.RepositorySimulator;

/**
 * A target mirror whose fetcher retried until its deadline ({@link FetchGaveUpException}) is left
 * for the next mirror at once: asking it again would wait the whole deadline again.
 */
class DownloadGaveUpTest {
  private static final URI DOWN = URI.create("https://down.test/targets/");

  @TempDir Path tmp;

  @Test
  void testDownload_aMirrorGivenUpOnIsAskedOnceThenTheNextServes() throws Exception {
    UpdaterFixture f = new UpdaterFixture(tmp);
    byte[] bytes = "FreeBSD 14.2 base".getBytes(StandardCharsets.UTF_8);
    f.repo.addTarget("targets", "base.txz", bytes);
    f.repo.publish();
    AtomicInteger downAsked = new AtomicInteger();
    Fetcher fetcher =
        new Fetcher() {
          @Override
          public void fetch(URI url, long maxLength, OutputStream sink) throws IOException {
            if (url.toString().startsWith(DOWN.toString())) {
              downAsked.incrementAndGet();
              throw new FetchGaveUpException(
                  "connection refused; gave up after 9 attempts in 60 s",
                  new IOException("connection refused"));
            }
            f.repo.fetch(url, maxLength, sink);
          }
        };
    Updater updater =
        new Updater(
            new MetadataDirectory(f.metadataDir),
            List.of(RepositorySimulator.METADATA_URL),
            fetcher,
            Clock.fixed(UpdaterFixture.NOW, ZoneOffset.UTC),
            UpdaterConfig.defaults());
    TargetFile info = updater.targetInfo("base.txz");
    Path dest = f.targetDir.resolve("base.txz");

    updater.download(info, List.of(DOWN, RepositorySimulator.TARGETS_URL), dest);

    assertThat(dest).hasBinaryContent(bytes);
    assertThat(downAsked).hasValue(1);
  }
}
