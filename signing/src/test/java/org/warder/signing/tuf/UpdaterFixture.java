package org.warder.signing.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.warder.signing.SigningException;
import org.warder.signing.testing.RepositorySimulator;
import org.warder.signing.testing.TestFiles;

/**
 * A client metadata directory, a target directory, and a simulated repository, for updater tests.
 */
final class UpdaterFixture {
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  final RepositorySimulator repo;
  final Path metadataDir;
  final Path targetDir;
  Instant clock = NOW;

  UpdaterFixture(Path tmp) throws SigningException, IOException {
    repo = new RepositorySimulator(NOW);
    metadataDir = tmp.resolve("metadata");
    targetDir = tmp.resolve("targets");
    Files.createDirectories(metadataDir);
    Files.createDirectories(targetDir);
    Files.write(metadataDir.resolve("root.json"), repo.rootBytes(1));
  }

  /**
   * Publishes {@code size} random bytes (from {@code seed}) as {@code path} of the top-level
   * targets role, and returns them.
   */
  byte[] publishTarget(String path, int size, long seed) throws SigningException {
    byte[] content = new byte[size];
    new Random(seed).nextBytes(content);
    repo.addTarget("targets", path, content);
    repo.publish();
    return content;
  }

  Updater updater() {
    return updater(List.of(RepositorySimulator.METADATA_URL));
  }

  Updater updater(List<URI> mirrors) {
    return updater(mirrors, repo);
  }

  /** An updater of this client state that fetches through {@code fetcher}. */
  Updater updater(List<URI> mirrors, Fetcher fetcher) {
    return new Updater(
        new MetadataDirectory(metadataDir),
        mirrors,
        fetcher,
        Clock.fixed(clock, ZoneOffset.UTC),
        UpdaterConfig.defaults());
  }

  Updater.RefreshResult refresh() throws IOException, TufException {
    return updater().refresh();
  }

  /** Every file of the metadata and target directories, by relative path, to its sha256. */
  Map<String, String> state() {
    Map<String, String> out = new TreeMap<>();
    for (Path dir : List.of(metadataDir, targetDir)) {
      TestFiles.digests(dir)
          .forEach((path, sha256) -> out.put(dir.getFileName() + "/" + path, sha256));
    }
    return out;
  }

  /**
   * Runs {@code action}, expects it to fail with {@code type}, and checks that nothing of the
   * attack was kept: no trusted file changed except the ones named in {@code advancing} (valid
   * metadata that precedes the attacked file in the TUF order and is persisted before the attack is
   * seen, as the specification and the conformance suite require), and no target file appeared.
   * Then runs {@code action} again: it must fail the same way and leave the trusted metadata
   * directory byte-identical.
   */
  <T extends Throwable> T assertRefusedUnchanged(
      Class<T> type, ThrowingCallable action, String... advancing) {
    Map<String, String> before = state();
    Throwable thrown = catchThrowable(action);
    assertThat(thrown).isInstanceOf(type);
    Map<String, String> after = state();
    Map<String, String> expected = new TreeMap<>(before);
    for (String name : advancing) {
      String key = "metadata/" + name;
      if (after.containsKey(key)) {
        expected.put(key, after.get(key));
      }
    }
    assertThat(after).isEqualTo(expected);
    Throwable again = catchThrowable(action);
    assertThat(again).isInstanceOf(type);
    assertThat(state()).isEqualTo(after);
    return type.cast(thrown);
  }

  long trustedVersion(String role) throws IOException {
    Path file = metadataDir.resolve(Urls.quote(role) + ".json");
    try {
      return StrictJsonVersions.version(Files.readAllBytes(file));
    } catch (SigningException e) {
      throw new IOException(e);
    }
  }

  /** Reads {@code signed.version} without verification, to assert what is on disk. */
  static final class StrictJsonVersions {
    static long version(byte[] bytes) throws SigningException {
      return org.warder.signing.StrictJson.parseObject(bytes).get("signed").get("version").asLong();
    }
  }
}
