package org.warder.signing.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.signing.Digests;
import org.warder.signing.Key;
import org.warder.signing.Verifiers;
import org.warder.signing.testing.TestFiles;
import org.warder.signing.testing.TufJsRepository;

/**
 * Interoperability with a TUF 1.0 repository that warder did not write, the one {@link
 * TufJsRepository} generates with tuf-js: warder's {@link Updater} consumes it through a {@link
 * Fetcher} that serves the generated directory.
 *
 * <p>Needs Node.js and npm. Without them, or when {@code npm ci} fails, the tests are skipped with
 * a message on stderr, except under CI ({@code CI=true}), where that is a failure.
 */
class TufJsInteropTest {
  private static final URI METADATA_URL = URI.create("https://tufjs.test/metadata/");
  private static final URI TARGETS_URL = URI.create("https://tufjs.test/targets/");
  private static final String BASE_TXZ = "releases/14.2-RELEASE/amd64/base.txz";
  private static final String PLUGINS = "plugins/index.json";

  @TempDir static Path generated;
  private static TufJsRepository tufjs;

  @TempDir Path tmp;
  private Path repo;
  private Path metadataDir;
  private Path targetDir;
  private DirectoryFetcher fetcher;
  private JsonNode expected;

  @BeforeAll
  static void generateRepository() throws Exception {
    tufjs = TufJsRepository.generate(generated);
  }

  @BeforeEach
  void setUp() throws IOException {
    tufjs.assumeAvailable("tuf-js interoperability");
    repo = tufjs.copyTo(tmp.resolve("repo"));
    metadataDir = tmp.resolve("client/metadata");
    targetDir = tmp.resolve("client/targets");
    Files.createDirectories(metadataDir);
    Files.createDirectories(targetDir);
    Files.copy(repo.resolve("trusted-root.json"), metadataDir.resolve("root.json"));
    fetcher = new DirectoryFetcher(repo);
    expected = tufjs.expected();
  }

  private Updater updater() {
    return new Updater(
        new MetadataDirectory(metadataDir),
        List.of(METADATA_URL),
        fetcher,
        Clock.systemUTC(),
        UpdaterConfig.defaults());
  }

  @Test
  @DisplayName(
      "refresh walks the tuf-js root rotation to v2 and loads timestamp, snapshot, targets")
  void refresh_endsAtRootV2() throws Exception {
    Updater.RefreshResult result = updater().refresh();

    JsonNode versions = expected.get("versions");
    assertThat(result.rootVersion()).isEqualTo(2).isEqualTo(versions.get("root").asLong());
    assertThat(result.timestampVersion()).isEqualTo(versions.get("timestamp").asLong());
    assertThat(result.snapshotVersion()).isEqualTo(versions.get("snapshot").asLong());
    assertThat(result.targetsVersion()).isEqualTo(versions.get("targets").asLong());
    assertThat(result.rootMayBeStale()).isFalse(); // the walk ended at a 404 for 3.root.json
    // Consistent-snapshot file names, in the order of the TUF client workflow.
    assertThat(fetcher.requests())
        .containsExactly(
            "metadata/2.root.json",
            "metadata/3.root.json",
            "metadata/timestamp.json",
            "metadata/2.snapshot.json",
            "metadata/1.targets.json");
    // Trusted metadata is stored as the bytes tuf-js wrote (pretty-printed, not canonical).
    assertThat(Files.readAllBytes(metadataDir.resolve("root.json")))
        .isEqualTo(Files.readAllBytes(repo.resolve("metadata/2.root.json")));
    assertThat(Files.readAllBytes(metadataDir.resolve("timestamp.json")))
        .isEqualTo(Files.readAllBytes(repo.resolve("metadata/timestamp.json")));
    assertThat(Files.readAllBytes(metadataDir.resolve("snapshot.json")))
        .isEqualTo(Files.readAllBytes(repo.resolve("metadata/2.snapshot.json")));
    assertThat(Files.readAllBytes(metadataDir.resolve("targets.json")))
        .isEqualTo(Files.readAllBytes(repo.resolve("metadata/1.targets.json")));

    // A second refresh with everything current fetches only what TUF says it must.
    fetcher.clearRequests();
    Map<String, String> before = TestFiles.digests(metadataDir);
    assertThat(updater().refresh().rootVersion()).isEqualTo(2);
    assertThat(fetcher.requests())
        .containsExactly("metadata/3.root.json", "metadata/timestamp.json");
    assertThat(TestFiles.digests(metadataDir)).isEqualTo(before);
  }

  @Test
  @DisplayName("targetInfo finds the top-level target and the one delegated to 'releases'")
  void targetInfo_findsTopLevelAndDelegatedTargets() throws Exception {
    Updater updater = updater();
    updater.refresh();

    TargetFile plugins = updater.targetInfo(PLUGINS);
    assertMatchesExpected(plugins);
    assertThat(fetcher.requests()).doesNotContain("metadata/1.releases.json");

    TargetFile base = updater.targetInfo(BASE_TXZ);
    assertMatchesExpected(base);
    assertThat(expected.at("/targets/" + BASE_TXZ.replace("/", "~1") + "/role").asText())
        .isEqualTo("releases");
    assertThat(fetcher.requests()).contains("metadata/1.releases.json");
    assertThat(Files.readAllBytes(metadataDir.resolve("releases.json")))
        .isEqualTo(Files.readAllBytes(repo.resolve("metadata/1.releases.json")));
    // tuf-js's extra hash and the opaque custom object come through.
    assertThat(base.hashes()).containsOnlyKeys("sha256", "sha512");
    assertThat(base.custom()).isPresent();
    assertThat(base.custom().get().at("/freebsd/release").asText()).isEqualTo("14.2-RELEASE");

    // The terminating delegation stops the search: nothing else is there.
    assertThatThrownBy(() -> updater.targetInfo("releases/14.2-RELEASE/amd64/kernel.txz"))
        .isInstanceOf(TargetNotFoundException.class);
    assertThatThrownBy(() -> updater.targetInfo("plugins/missing.json"))
        .isInstanceOf(TargetNotFoundException.class);
  }

  @Test
  @DisplayName("download verifies both targets and yields exactly the bytes tuf-js described")
  void download_yieldsExactBytes() throws Exception {
    Updater updater = updater();
    updater.refresh();
    for (String path : List.of(PLUGINS, BASE_TXZ)) {
      TargetFile target = updater.targetInfo(path);
      Path destination = targetDir.resolve(path);
      updater.download(target, List.of(TARGETS_URL), destination);

      byte[] bytes = Files.readAllBytes(destination);
      assertThat(Digests.sha256Hex(bytes)).isEqualTo(expectedTarget(path).get("sha256").asText());
      assertThat((long) bytes.length).isEqualTo(expectedTarget(path).get("length").asLong());
      assertThat(updater.findCached(target, destination)).contains(destination);
    }
    assertThat(fetcher.requests())
        .contains(
            "targets/plugins/" + expectedTarget(PLUGINS).get("sha256").asText() + ".index.json",
            "targets/releases/14.2-RELEASE/amd64/"
                + expectedTarget(BASE_TXZ).get("sha256").asText()
                + ".base.txz");
    try (Stream<Path> files = Files.walk(targetDir)) {
      assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(2); // no temporary left
    }
  }

  @Test
  @DisplayName(
      "every tuf-js signature (ed25519 and ecdsa-sha2-nistp256) verifies on its own in warder")
  void signatures_eachVerifiesIndividually() throws Exception {
    Path md = repo.resolve("metadata");
    Metadata<Root> root1 =
        Metadata.parse(Files.readAllBytes(md.resolve("1.root.json")), Root.class, "root");
    Metadata<Root> root2 =
        Metadata.parse(Files.readAllBytes(md.resolve("2.root.json")), Root.class, "root");
    Metadata<Targets> targets =
        Metadata.parse(Files.readAllBytes(md.resolve("1.targets.json")), Targets.class, "targets");
    Metadata<Targets> releases =
        Metadata.parse(
            Files.readAllBytes(md.resolve("1.releases.json")), Targets.class, "releases");
    Metadata<Snapshot> snapshot =
        Metadata.parse(
            Files.readAllBytes(md.resolve("2.snapshot.json")), Snapshot.class, "snapshot");
    Metadata<Timestamp> timestamp =
        Metadata.parse(
            Files.readAllBytes(md.resolve("timestamp.json")), Timestamp.class, "timestamp");

    Map<String, Key> rootKeys = new LinkedHashMap<>(root1.signed().keys());
    rootKeys.putAll(root2.signed().keys());
    assertAllSignaturesVerify(root1, root1.signed().keys(), 1);
    assertAllSignaturesVerify(root2, rootKeys, 3); // old key A, new keys B and C
    assertAllSignaturesVerify(targets, root2.signed().keys(), 1);
    assertAllSignaturesVerify(snapshot, root2.signed().keys(), 2);
    assertAllSignaturesVerify(timestamp, root2.signed().keys(), 1);
    assertAllSignaturesVerify(releases, targets.signed().delegations().orElseThrow().keys(), 1);

    Key ecdsa = root2.signed().keys().get(expected.at("/keyids/snapshotEcdsa").asText());
    assertThat(ecdsa.keytype()).isEqualTo("ecdsa");
    assertThat(ecdsa.scheme()).isEqualTo("ecdsa-sha2-nistp256");
    assertThat(ecdsa.publicValue()).startsWith("-----BEGIN PUBLIC KEY-----");
    assertThat(snapshot.signatures()).extracting(Signature::keyid).contains(ecdsa.keyId());
    // The unknown field in targets' "signed" is covered by the signature warder checked.
    assertThat(targets.signedJson().at("/x_warder_interop/note").asText()).isEqualTo("caf\u00e9");
    // The legacy keyid_hash_algorithms field is part of the root v1 key and of its keyid.
    Key rootA = root1.signed().keys().values().iterator().next();
    assertThat(rootA.json().has("keyid_hash_algorithms")).isTrue();
    assertThat(rootA.keyId()).isEqualTo(expected.at("/keyids/root1/0").asText());
  }

  @Test
  @DisplayName("a tampered target byte is refused with DigestMismatchException and no file is left")
  void download_tamperedTargetRefused() throws Exception {
    Updater updater = updater();
    updater.refresh();
    TargetFile target = updater.targetInfo(BASE_TXZ);
    Path served =
        repo.resolve(
            "targets/releases/14.2-RELEASE/amd64/" + target.sha256().orElseThrow() + ".base.txz");
    byte[] bytes = Files.readAllBytes(served);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(served, bytes);

    Path destination = targetDir.resolve(BASE_TXZ);
    assertThatThrownBy(() -> updater.download(target, List.of(TARGETS_URL), destination))
        .isInstanceOf(DigestMismatchException.class);
    assertThat(destination).doesNotExist();
    try (Stream<Path> files = Files.walk(targetDir)) {
      assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
    }
  }

  @Test
  @DisplayName(
      "a tampered timestamp signature is refused and the trusted metadata stays byte-identical")
  void refresh_tamperedTimestampSignatureRefused() throws Exception {
    updater().refresh();
    Map<String, String> before = TestFiles.digests(metadataDir);
    tamperSignature(repo.resolve("metadata/timestamp.json"));

    Throwable thrown = catchThrowable(() -> updater().refresh());
    assertThat(thrown).isInstanceOf(UnsignedMetadataException.class);
    assertThat(((UnsignedMetadataException) thrown).role()).isEqualTo("timestamp");
    assertThat(TestFiles.digests(metadataDir)).isEqualTo(before);
    // And again: the refusal is stable and still changes nothing.
    assertThatThrownBy(() -> updater().refresh()).isInstanceOf(UnsignedMetadataException.class);
    assertThat(TestFiles.digests(metadataDir)).isEqualTo(before);
  }

  @Test
  @DisplayName("from scratch, a tampered timestamp is refused after the valid root rotation")
  void refresh_tamperedTimestampSignatureRefusedFromScratch() throws Exception {
    tamperSignature(repo.resolve("metadata/timestamp.json"));

    assertThatThrownBy(() -> updater().refresh()).isInstanceOf(UnsignedMetadataException.class);
    // Root v2 verified before the timestamp was seen, so it is kept; nothing else is stored.
    assertThat(TestFiles.digests(metadataDir).keySet()).containsExactly("root.json");
    assertThat(Files.readAllBytes(metadataDir.resolve("root.json")))
        .isEqualTo(Files.readAllBytes(repo.resolve("metadata/2.root.json")));
  }

  @Test
  @DisplayName(
      "the test's file fetcher keeps the Fetcher contract: 404 when missing, cap at maxLength")
  void fetcher_keepsTheContract() throws Exception {
    byte[] timestamp = Files.readAllBytes(repo.resolve("metadata/timestamp.json"));
    assertThat(fetcher.fetchBytes(URI.create(METADATA_URL + "timestamp.json"), timestamp.length))
        .isEqualTo(timestamp);

    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    assertThatThrownBy(() -> fetcher.fetch(URI.create(METADATA_URL + "timestamp.json"), 100, sink))
        .isInstanceOf(FetchTooLargeException.class);
    assertThat(sink.toByteArray()).isEqualTo(java.util.Arrays.copyOf(timestamp, 100));

    assertThatThrownBy(() -> fetcher.fetchBytes(URI.create(METADATA_URL + "9.root.json"), 1000))
        .isInstanceOfSatisfying(
            FetchStatusException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(
            () -> fetcher.fetchBytes(URI.create(METADATA_URL + "../expected.json"), 100_000))
        .isInstanceOfSatisfying(
            FetchStatusException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  // --- helpers ---------------------------------------------------------------------------------

  private JsonNode expectedTarget(String path) {
    JsonNode node = expected.get("targets").get(path);
    assertThat(node).as("expected.json lists %s", path).isNotNull();
    return node;
  }

  private void assertMatchesExpected(TargetFile target) {
    JsonNode e = expectedTarget(target.path());
    assertThat(target.sha256()).contains(e.get("sha256").asText());
    assertThat(target.length()).isEqualTo(e.get("length").asLong());
  }

  private static void assertAllSignaturesVerify(
      Metadata<?> metadata, Map<String, Key> keys, int count) {
    assertThat(metadata.signatures()).hasSize(count);
    byte[] message = metadata.canonicalSigned();
    for (Signature s : metadata.signatures()) {
      Key key = keys.get(s.keyid());
      assertThat(key)
          .as("key %s of a %s signature", s.keyid(), metadata.signed().type())
          .isNotNull();
      assertThat(key.keyId()).isEqualTo(s.keyid());
      assertThat(Verifiers.isSupported(key))
          .as("%s/%s supported", key.keytype(), key.scheme())
          .isTrue();
      assertThat(Verifiers.verify(key, message, s.sig()))
          .as("%s signature by %s (%s)", metadata.signed().type(), s.keyid(), key.scheme())
          .isTrue();
    }
  }

  /** Flips one hex digit of the first signature, keeping the file otherwise as tuf-js wrote it. */
  private static void tamperSignature(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String marker = "\"sig\": \"";
    int at = text.indexOf(marker);
    assertThat(at).as("a signature in %s", file).isNotNegative();
    int digit = at + marker.length();
    char c = text.charAt(digit);
    char flipped = c == '0' ? '1' : '0';
    Files.writeString(
        file,
        text.substring(0, digit) + flipped + text.substring(digit + 1),
        StandardCharsets.UTF_8);
  }

  /**
   * Serves a generated repository directory: {@link #METADATA_URL} maps onto {@code repo/metadata},
   * {@link #TARGETS_URL} onto {@code repo/targets}. A missing file (or one outside those
   * directories) answers 404; a body longer than {@code maxLength} is cut after exactly {@code
   * maxLength} bytes with {@link FetchTooLargeException}, reading at most one byte more.
   */
  static final class DirectoryFetcher implements Fetcher {
    private final Path repo;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    DirectoryFetcher(Path repo) {
      this.repo = repo.toAbsolutePath().normalize();
    }

    List<String> requests() {
      synchronized (requests) {
        return List.copyOf(requests);
      }
    }

    void clearRequests() {
      requests.clear();
    }

    @Override
    public void fetch(URI url, long maxLength, OutputStream sink) throws IOException {
      Path file = resolve(url);
      if (file == null) {
        throw new FetchStatusException(url, 404);
      }
      requests.add(repo.relativize(file).toString().replace('\\', '/'));
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buffer = new byte[8192];
        long written = 0;
        while (true) {
          int want = (int) Math.min(buffer.length, maxLength - written + 1);
          int n = in.read(buffer, 0, want);
          if (n < 0) {
            return;
          }
          if (written + n > maxLength) {
            sink.write(buffer, 0, (int) (maxLength - written));
            throw new FetchTooLargeException(url, maxLength);
          }
          sink.write(buffer, 0, n);
          written += n;
        }
      } catch (NoSuchFileException e) {
        throw new FetchStatusException(url, 404);
      }
    }

    private Path resolve(URI url) {
      for (URI base : List.of(METADATA_URL, TARGETS_URL)) {
        String u = url.toString();
        if (!u.startsWith(base.toString())) {
          continue;
        }
        String relative = URI.create(u).getPath().substring(base.getPath().length());
        Path root = repo.resolve(base.equals(METADATA_URL) ? "metadata" : "targets");
        Path file = root.resolve(relative).normalize();
        if (!file.startsWith(root) || relative.isEmpty()) {
          return null;
        }
        return Files.isDirectory(file) ? null : file;
      }
      return null;
    }
  }
}
